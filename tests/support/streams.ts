/** A streamed export (e.g. statementCsvChunks) read to its end as one string. */
export async function collectText(chunks: AsyncGenerator<string>): Promise<string> {
  let text = "";
  for await (const chunk of chunks) text += chunk;
  return text;
}
