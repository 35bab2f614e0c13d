/**
 * The production build's Content-Security-Policy: sent with the page, strict (no inline script, no eval), and
 * the app still loads a model, embeds, projects and trains under it without a single violation.
 */
import { expect, test } from './fixtures';

test('the built app is served with a strict CSP and runs the whole pipeline without violations', async ({
  app,
  page,
}) => {
  const response = await page.goto('/');
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' blob:");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toMatch(/'unsafe-eval'/);
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  // An inline script must not run under this policy.
  const inlineRan = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.inlineScriptRan = true';
    document.body.append(script);
    return (window as unknown as { inlineScriptRan?: boolean }).inlineScriptRan === true;
  });
  expect(inlineRan).toBe(false);
  const violations = () =>
    page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  expect(await violations()).toEqual([expect.stringContaining('script-src')]);
  await page.evaluate(() => ((window as unknown as { cspViolations: string[] }).cspViolations.length = 0));
  // The inline-script refusal above is logged as a console error on purpose; check the rest only.
  app.errors.length = 0;

  await expect(page.getByRole('heading', { name: 'Pairscope' })).toBeVisible();
  await expect(page.getByTestId('model.panel')).not.toHaveAttribute('data-server-models', 'loading');
  await app.loadLocalModel('tiny-random-bert');
  await page.getByTestId('pairs.sample').click();
  await app.embed();
  await page.getByTestId('umap.run').click();
  await expect(page.getByTestId('umap.summary')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('map.canvas')).toBeVisible();
  expect(await violations()).toEqual([]);
  expect(app.errors).toEqual([]);
});
