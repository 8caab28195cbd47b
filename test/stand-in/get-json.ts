/** Requests the stand-in tests send to its WeChat routes. */

/** A GET of `path` with `params` (undefined ones left out); the answer must be HTTP 200 with a JSON object. */
export async function getJson(baseUrl: string, path: string, params: Record<string, string | undefined>): Promise<Record<string, unknown>> {
  const defined = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const response = await fetch(`${baseUrl}${path}?${new URLSearchParams(defined).toString()}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}
