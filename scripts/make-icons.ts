import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";

/**
 * Renders public/icons/icon.svg into the PNG icons the web app manifest and
 * iOS ask for (`npx tsx scripts/make-icons.ts`; the PNGs are committed, so
 * nothing runs at build or request time). The maskable icon puts the mark in
 * the middle 80 % on a full-bleed background, as launchers crop it.
 */
const dir = path.resolve(import.meta.dirname, "..", "public", "icons");
const svg = readFileSync(path.join(dir, "icon.svg"), "utf8");
const plain = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;

const icons = [
  { file: "icon-192.png", size: 192, maskable: false },
  { file: "icon-512.png", size: 512, maskable: false },
  { file: "maskable-512.png", size: 512, maskable: true },
  { file: "apple-touch-icon.png", size: 180, maskable: true },
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  for (const icon of icons) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    const inner = icon.maskable ? Math.round(icon.size * 0.8) : icon.size;
    await page.setContent(
      `<html><body style="margin:0;width:${icon.size}px;height:${icon.size}px;display:grid;place-items:center;background:${icon.maskable ? "#2b59c3" : "transparent"}">` +
        `<img src="${plain}" width="${inner}" height="${inner}"></body></html>`,
    );
    writeFileSync(path.join(dir, icon.file), await page.screenshot({ omitBackground: !icon.maskable }));
    await page.close();
    console.log(`${icon.file} ${icon.size}×${icon.size}`);
  }
} finally {
  await browser.close();
}
