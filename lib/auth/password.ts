import "server-only";
import { hash, parseOptions, verify, type Algorithm } from "@node-rs/argon2";

// argon2id at OWASP's minimum: 19 MiB of memory, 2 passes, 1 lane. (Algorithm is a const enum: 2 is Argon2id.)
const ARGON2ID = 2 as Algorithm;
export const passwordPolicy = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, passwordPolicy);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Whether a stored hash is weaker than the policy (older parameters, another algorithm): rehash it at the next sign-in. */
export function needsRehash(passwordHash: string): boolean {
  try {
    const used = parseOptions(passwordHash);
    return (
      used.algorithm !== passwordPolicy.algorithm ||
      used.memoryCost < passwordPolicy.memoryCost ||
      used.timeCost < passwordPolicy.timeCost ||
      used.parallelism < passwordPolicy.parallelism
    );
  } catch {
    return true;
  }
}
