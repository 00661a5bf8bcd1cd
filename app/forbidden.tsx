import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";


export default function Forbidden() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold text-red-600">403</p>
        <h1 className="mt-2 text-2xl font-bold">You can&apos;t open this page</h1>
        <p className="mt-2 text-slate-600">Your account doesn&apos;t have access to it. If you think it should, ask your admin.</p>
        <Link href="/home" className={buttonVariants({ className: "mt-6" })}>
          Go to my dashboard
        </Link>
      </div>
    </main>
  );
}
