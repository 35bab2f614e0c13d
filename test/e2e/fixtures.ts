/**
 * Page objects injected as fixtures, and guards every test gets: no request leaves the origin, and no
 * unexpected console error or page error.
 */
import { test as base, expect } from '@playwright/test';
import type { Page } from '@playwright/test';

export class PairscopePage {
  readonly offOrigin: string[] = [];
  readonly errors: string[] = [];
  /** Off-origin URL prefixes a test routes itself (e.g. a simulated Hub); never reach the network. */
  readonly allowedOffOrigin: string[] = [];

  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/');
    await expect(this.page.getByRole('heading', { name: 'Pairscope' })).toBeVisible();
    await expect(this.page.getByTestId('model.panel')).not.toHaveAttribute('data-server-models', 'loading');
  }

  async loadLocalModel(
    id: string,
    options: { dtype?: string; device?: 'auto' | 'webgpu' | 'wasm' } = {},
  ): Promise<void> {
    await this.page.getByTestId('model.source.server').check();
    await this.page.getByTestId('model.serverSelect').selectOption(id);
    await this.page.getByTestId('model.dtype').selectOption(options.dtype ?? 'fp32');
    await this.page.getByTestId('model.device').selectOption(options.device ?? 'wasm');
    await this.page.getByTestId('model.load').click();
    await expect(this.page.getByTestId('model.label')).toContainText(id);
  }

  /**
   * Puts text in the pairs box the way a paste reaches the app (one input event). Playwright's `fill` types
   * through Chromium's insertText, which takes ~30 s for 3,000 lines in headless Chromium.
   */
  async pastePairs(rows: string[][]): Promise<void> {
    const text = rows.map((r) => r.join('\t')).join('\n');
    await this.page.getByTestId('pairs.input').evaluate((el: HTMLTextAreaElement, value) => {
      // React tracks the value through the prototype's setter; assigning el.value would be ignored.
      Reflect.set(HTMLTextAreaElement.prototype, 'value', value, el);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, text);
  }

  async choosePreset(id: 'origin' | 'bert-as-service' | 'sbert-nli' | 'custom'): Promise<void> {
    await this.page.getByTestId('recipe.preset').selectOption(id);
  }

  async embed(): Promise<void> {
    await this.page.getByTestId('embed.run').click();
    await expect(this.page.getByTestId('embed.summary')).toBeVisible();
  }

  vectors(): Promise<{ data: number[]; rows: number; dim: number } | null> {
    return this.page.evaluate(async () => {
      const v = await window.pairscope.getVectors();
      return v ? { data: Array.from(v.data), rows: v.rows, dim: v.dim } : null;
    });
  }

  pairInputs(index: number) {
    return this.page.evaluate((i) => window.pairscope.getPairInputs(i), index);
  }
}

/** Console messages that are expected and harmless. */
const BENIGN = [/Download the React DevTools/];

export const test = base.extend<{ app: PairscopePage }>({
  app: async ({ page, baseURL }, use) => {
    const app = new PairscopePage(page);
    const origin = new URL(baseURL ?? 'http://127.0.0.1').origin;
    page.on('request', (request) => {
      const url = request.url();
      const allowed = [origin, 'blob:', 'data:', ...app.allowedOffOrigin];
      if (!allowed.some((prefix) => url.startsWith(prefix))) app.offOrigin.push(url);
    });
    page.on('pageerror', (error) => app.errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !BENIGN.some((re) => re.test(message.text()))) {
        app.errors.push(`console: ${message.text()}`);
      }
    });
    await use(app);
    expect(app.offOrigin, 'requests that left the origin').toEqual([]);
  },
});

export { expect };

export { maxAbsDiff, modelReference } from '../data';
