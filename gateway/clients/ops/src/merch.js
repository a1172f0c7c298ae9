import './merch.css';
import { ApiError, getJson } from './api.js';
import { count, escapeHtml as h, time } from './format.js';

/**
 * Merch drops, live: sell-through per variant (album version, size), the random cards left per member, and each lucky
 * draw's entries and claims. Polled every two seconds from the Catalog's products and the Queue's draw counters.
 */
export class MerchPanel {
  constructor(element, session, onDenied) {
    this.element = element;
    this.session = session;
    this.onDenied = onDenied;
    this.stopped = false;
    this.element.innerHTML = `
      <header class="panel-head"><h2>Merch drops</h2><span class="muted">versions, random cards, lucky draws</span></header>
      <div class="merch-grid">
        <div><h3>Sell-through per version</h3><div class="table-wrap"><table class="orders"><thead><tr><th>Product</th><th>Version</th><th class="num">Sold</th><th class="num">Reserved</th><th class="num">Left</th><th class="num">Sell-through</th></tr></thead><tbody id="merch-variants"></tbody></table></div></div>
        <div><h3>Cards left per member</h3><div class="table-wrap"><table class="orders"><thead><tr><th>Product</th><th>Member</th><th class="num">Left</th><th class="num">Of</th></tr></thead><tbody id="merch-cards"></tbody></table></div></div>
        <div><h3>Lucky draws</h3><div class="table-wrap"><table class="orders"><thead><tr><th>Draw</th><th>Status</th><th class="num">Entries</th><th class="num">Winners</th><th class="num">Claimed</th><th class="num">Lapsed</th><th>Closes</th></tr></thead><tbody id="merch-draws"></tbody></table></div></div>
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
      ? '<tr><td colspan="6" class="empty">No product with versions yet.</td></tr>'
      : variants.map((v) => `<tr data-testid="variant-row"><td>${h(v.product)}</td><td>${h(v.name)} <span class="muted">${h(v.sku)}</span></td>
          <td class="num">${count(v.sold)}</td><td class="num">${count(v.reserved)}</td><td class="num">${count(v.available)}</td>
          <td class="num">${v.stock ? Math.round((v.sold / v.stock) * 100) : 0} %</td></tr>`).join(''));
    const cards = products.filter((p) => p.inclusion).flatMap((p) => p.inclusion.items.map((i) => ({ product: p.name, ...i })));
    set(this.element.querySelector('#merch-cards'), cards.length === 0
      ? '<tr><td colspan="4" class="empty">No product with random cards yet.</td></tr>'
      : cards.map((c) => `<tr data-testid="card-row"><td>${h(c.product)}</td><td>${h(c.name)}</td><td class="num">${count(c.left)}</td><td class="num">${count(c.count)}</td></tr>`).join(''));
    set(this.element.querySelector('#merch-draws'), draws.length === 0
      ? '<tr><td colspan="7" class="empty">No lucky draw yet.</td></tr>'
      : draws.map((d) => `<tr data-testid="draw-row"><td>${h(d.title)} <span class="muted">${h(names.get(d.productId) ?? '')}</span></td><td>${h(d.status)}</td>
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
