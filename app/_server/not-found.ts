import "server-only";
import { notFound } from "next/navigation";
import { isDomainError } from "@/lib/errors";

/** Awaits a lib lookup; a domain "not found" (or any refusal) becomes the 404 page. */
export async function orNotFound<T>(lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (isDomainError(error)) notFound();
    throw error;
  }
}
