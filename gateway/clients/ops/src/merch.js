import './merch.css';
import { ApiError, getJson } from './api.js';
import { count, escapeHtml as h, share, time } from './format.js';
import { statusText, t } from './i18n.js';

/**
 * Merch drops, live, in the operator's language: sell-through per variant (album version, size), the random cards left
 * per member, and each lucky draw's entries and claims. Polled every two seconds from the Catalog's products and the
 * Queue's draw counters.
 */
export class MerchPanel {
  constructor(element, session, onDenied) {
    this.element = element;
    this.session = session;
    this.onDenied = onDenied;
    this.stopped = false;
    const head = (labels) => labels.map(([key, numeric]) => `<th${numeric ? ' class="num"' : ''}>${h(t(key))}</th>`).join('');
    this.element.innerHTML = `
      <header class="panel-head"><h2>${h(t('drops.title'))}</h2><span class="muted">${h(t('drops.sub'))}</span></header>
      <div class="merch-grid">
        <div><h3>${h(t('drops.variants'))}</h3><div class="table-wrap"><table class="orders"><thead><tr>${head([['drops.product'], ['drops.version'], ['status.sold', true], ['status.reserved', true], ['drops.left', true], ['drops.sellThrough', true]])}</tr></thead><tbody id="merch-variants"></tbody></table></div></div>
        <div><h3>${h(t('drops.cards'))}</h3><div class="table-wrap"><table class="orders"><thead><tr>${head([['drops.product'], ['drops.member'], ['drops.left', true], ['drops.of', true]])}</tr></thead><tbody id="merch-cards"></tbody></table></div></div>
        <div><h3>${h(t('drops.draws'))}</h3><div class="table-wrap"><table class="orders"><thead><tr>${head([['drops.draw'], ['drops.status'], ['drops.entries', true], ['drops.winners', true], ['drops.claimed', true], ['drops.lapsed', true], ['drops.closes']])}</tr></thead><tbody id="merch-draws"></tbody></table></div></div>
      </div>`;
    this.tick();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  async tick() {
    if (this.stopped) return;
    try {
      const [products, draws] = await Promise.all([
        getJson('/api/catalog/products?pageSize=100', this.session),
        getJson('/api/queue/lucky-draws/counters', this.session),
      ]);
      this.render(products.items, draws);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        this.stop();
        this.onDenied(e.status);
        return;
      }
    }
    this.timer = setTimeout(() => this.tick(), 2000);
  }

  render(products, draws) {
    const names = new Map(products.map((p) => [p.id, p.name]));
    const variants = products.flatMap((p) => (p.variants ?? []).map((v) => ({ product: p.name, ...v })));
    set(this.element.querySelector('#merch-variants'), variants.length === 0
      ? `<tr><td colspan="6" class="empty">${h(t('drops.noVariants'))}</td></tr>`
      : variants.map((v) => `<tr data-testid="variant-row"><td>${h(v.product)}</td><td>${h(v.name)} <span class="muted">${h(v.sku)}</span></td>
          <td class="num">${count(v.sold)}</td><td class="num">${count(v.reserved)}</td><td class="num">${count(v.available)}</td>
          <td class="num">${share(v.stock ? v.sold / v.stock : 0)}</td></tr>`).join(''));
    const cards = products.filter((p) => p.inclusion).flatMap((p) => p.inclusion.items.map((i) => ({ product: p.name, ...i })));
    set(this.element.querySelector('#merch-cards'), cards.length === 0
      ? `<tr><td colspan="4" class="empty">${h(t('drops.noCards'))}</td></tr>`
      : cards.map((c) => `<tr data-testid="card-row"><td>${h(c.product)}</td><td>${h(c.name)}</td><td class="num">${count(c.left)}</td><td class="num">${count(c.count)}</td></tr>`).join(''));
    set(this.element.querySelector('#merch-draws'), draws.length === 0
      ? `<tr><td colspan="7" class="empty">${h(t('drops.noDraws'))}</td></tr>`
      : draws.map((d) => `<tr data-testid="draw-row"><td>${h(d.title)} <span class="muted">${h(names.get(d.productId) ?? '')}</span></td><td data-status="${h(d.status)}">${h(statusText('drops.status', d.status))}</td>
          <td class="num">${count(d.entries)}</td><td class="num">${count(d.winners)}</td><td class="num">${count(d.claimed)}</td><td class="num">${count(d.lapsed)}</td>
          <td>${time(d.closesAt)}</td></tr>`).join(''));
  }
}

function set(element, html) {
  if (element.dataset.html !== html) {
    element.innerHTML = html;
    element.dataset.html = html;
  }
}
