"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { safeCallbackPath } from "@/lib/auth/callback-url";

const messages: Record<string, string> = {
  RATE_LIMITED: "Too many attempts. Wait a few minutes and try again.",
  CredentialsSignin: "That email and password do not match an active account.",
};

export function LoginForm({ callbackUrl }: { callbackUrl?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    if (!result || result.error) {
      const code = result?.error ?? "";
      const reference = code.startsWith("INTERNAL:") ? code.slice("INTERNAL:".length) : null;
      setError(reference ? `Sign-in is not working right now. Try again in a minute. (Reference ${reference})` : (messages[code] ?? messages.CredentialsSignin!));
      setPending(false);
      return;
    }
    router.replace(safeCallbackPath(callbackUrl));
    router.refresh();
  }

  return (
    // method="post": a submit before the page is interactive must never put the password in the URL.
    <form method="post" onSubmit={onSubmit} className="space-y-4" noValidate>
      {error && (
        <p role="alert" data-testid="login-error" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <div>
        <Label htmlFor="email">Email</Label>
        <Input id="email" name="email" type="email" autoComplete="username" required autoFocus />
      </div>
      <div>
        <Label htmlFor="password">Password</Label>
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
