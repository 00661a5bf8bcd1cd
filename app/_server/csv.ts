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

/** Streams CSV chunks, so a statement of any size downloads in constant memory. */
export function streamCsv(name: string, chunks: AsyncGenerator<string>): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
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
