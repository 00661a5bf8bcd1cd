import "server-only";

function csvHeaders(name: string): HeadersInit {
  const date = new Date().toISOString().slice(0, 10);
  return {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${name}-${date}.csv"`,
    "cache-control": "no-store",
  };
}

/** A CSV download; the filename carries today's date. */
export function csvResponse(name: string, csv: string): Response {
  return new Response(csv, { headers: csvHeaders(name) });
}

/**
 * Streams CSV chunks, so a statement of any size downloads in constant memory.
 * The first chunk is read before the response exists: a refusal the generator
 * raises up front (an unknown reseller, say) is thrown to the route's error
 * mapping as a 404, never sent as a 200 whose stream then breaks.
 */
export async function streamCsv(name: string, chunks: AsyncGenerator<string>): Promise<Response> {
  const encoder = new TextEncoder();
  const first = await chunks.next();
  let pending: IteratorResult<string> | null = first;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = pending ?? (await chunks.next());
        pending = null;
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, { headers: csvHeaders(name) });
}

export function searchParamsObject(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams.entries());
}
