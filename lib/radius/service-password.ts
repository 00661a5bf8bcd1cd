import { randomInt } from "node:crypto";

// Easy to read aloud and type on a router's login page: no 0/O, 1/l/I.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** A new PPPoE/hotspot password: 14 characters from a 31-letter alphabet (about 69 bits), from the OS's CSPRNG. */
export function generateServicePassword(length = 14): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}
