import { expect, type APIResponse } from "@playwright/test";

/** A route's refusal: RFC 9457 problem details (application/problem+json) with the status and the domain code. */
export async function expectProblem(response: APIResponse, status: number, code: string, what: string) {
  expect(response.status(), what).toBe(status);
  expect(response.headers()["content-type"], what).toContain("application/problem+json");
  expect(await response.json(), what).toMatchObject({
    type: expect.stringContaining(code.toLowerCase().replaceAll("_", "-")),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code,
  });
}
