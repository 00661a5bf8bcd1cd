import type { ReactNode } from "react";
import { Card, CardContent, CardHeader, CardTitle } from "./card";

/** A titled card listing `items` one per row, or saying `empty` when there are none. */
export function ListCard<T>({
  title,
  items,
  empty,
  className,
  children,
}: {
  title: ReactNode;
  items: readonly T[];
  empty: string;
  className?: string;
  children: (item: T) => ReactNode;
}) {
  return (
    <Card className={className}>
      <CardHeader><CardTitle>{title}</CardTitle></CardHeader>
      <CardContent>
        {items.length === 0 ? <p className="text-sm text-slate-500">{empty}</p> : <ul className="divide-y divide-slate-100 text-sm">{items.map(children)}</ul>}
      </CardContent>
    </Card>
  );
}
