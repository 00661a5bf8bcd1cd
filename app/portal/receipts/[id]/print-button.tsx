"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Print (or "Save as PDF" in the print dialog, then send the file to the customer). */
export function PrintButton() {
  return (
    <Button variant="secondary" onClick={() => window.print()} className="print:hidden">
      Print or save as PDF
    </Button>
  );
}

/**
 * Share the receipt's link through the phone's share sheet, or copy it where
 * there is none. The link opens for the reseller's own signed-in staff only;
 * a customer gets the printed or PDF copy.
 */
export function ShareButton({ title }: { title: string }) {
  const [message, setMessage] = useState("");
  const share = async () => {
    const url = window.location.href;
    try {
      if (navigator.share) {
        await navigator.share({ title, url });
        return;
      }
      await navigator.clipboard.writeText(url);
      setMessage("Link copied.");
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") return;
      setMessage("Could not share or copy; copy the address from the browser instead.");
    }
  };
  return (
    <span className="flex flex-col items-center gap-1 print:hidden">
      <Button variant="secondary" onClick={share}>
        Share link
      </Button>
      <span role="status" className="text-xs text-slate-600">
        {message}
      </span>
    </span>
  );
}
