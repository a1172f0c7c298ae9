import '../../fan/src/design/tokens.css';
import './styles.css';
import { ApiError, currentSession, followOverview, getJson, signIn, signOut } from './api.js';
import { SalesChart, StockGauge, TierChart } from './charts.js';
import { ago, count, escapeHtml as h, money, reason, share, time, venueTime, viewerTimeZone } from './format.js';
import { SeatHeatMap } from './heatmap.js';
import { bindLanguagePicker, languagePicker, startI18n, statusText, t } from './i18n.js';
import { QueuePanel } from './queue.js';
import { MerchPanel } from './merch.js';

const app = document.getElementById('app');

function showSignIn(message = '') {
  app.innerHTML = `
    <main class="signin">
      <form class="signin-card" id="signin-form" novalidate>
        <div class="brand brand--large"><span class="brand-mark" aria-hidden="true"></span><span>Ticketing <strong>Ops</strong></span></div>
        <h1>${h(t('signIn.title'))}</h1>
        <p class="muted">${h(t('signIn.intro'))}</p>
        <label for="signin-user">${h(t('signIn.name'))}</label>
        <input id="signin-user" name="userName" autocomplete="username" required maxlength="100" placeholder="${h(t('signIn.placeholder'))}" />
        <p class="form-error" id="signin-error" role="alert">${h(message)}</p>
        <button type="submit" class="button button--primary" id="signin-submit">${h(t('signIn.submit'))}</button>
        <p class="fineprint">${h(t('signIn.fineprint'))}</p>
        ${languagePicker()}
      </form>
    </main>`;
  bindLanguagePicker();
  const form = document.getElementById('signin-form');
  const input = document.getElementById('signin-user');
  input.focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const userName = input.value.trim();
    const error = document.getElementById('signin-error');
    if (!/^[A-Za-z0-9._@-]{1,100}$/.test(userName)) {
      error.textContent = t('signIn.invalidName');
      return;
    }
    document.getElementById('signin-submit').disabled = true;
    try {
      startDashboard(await signIn(userName));
    } catch (e) {
      error.textContent = e.message;
      document.getElementById('signin-submit').disabled = false;
    }
  });
}

function layout(session) {
  app.innerHTML = `
    <header class="topbar">
      <div class="brand"><span class="brand-mark" aria-hidden="true"></span><span>Ticketing <strong>Ops</strong></span></div>
      <div class="live" id="live-state" data-state="connecting"><span class="live-dot" aria-hidden="true"></span><span id="live-label">${h(t('top.connecting'))}</span></div>
      <div class="topbar-right">
        <span class="muted" id="updated-at" title="${h(t('top.timesTitle'))}">${h(t('top.timesIn', { zone: viewerTimeZone }))}</span>
        <span class="user" title="${h(t('top.signedInAs'))}"><span class="user-role">${h(t('top.operator'))} · </span>${h(session.userName)}</span>
        ${languagePicker()}
        <button class="button button--ghost" id="signout">${h(t('top.signOut'))}</button>
      </div>
    </header>
    <main class="dashboard">
      <section class="kpis" aria-label="${h(t('kpi.region'))}">
        ${kpi('orders-confirmed', t('kpi.ordersConfirmed'))}
        ${kpi('revenue', t('kpi.revenue'))}
        ${kpi('tickets-sold', t('kpi.ticketsSold'))}
        ${kpi('decline-rate', t('kpi.declineRate'))}
        ${kpi('pending', t('kpi.pending'))}
        ${kpi('merch-sold', t('kpi.merchSold'))}
      </section>

      <section class="grid grid--main">
        <article class="panel panel--chart">
          <header class="panel-head"><h2>${h(t('sales.title'))}</h2><span class="muted">${h(t('sales.window'))}</span></header>
          <div class="chart-box"><canvas id="sales-chart" aria-label="${h(t('sales.chart'))}"></canvas></div>
        </article>
        <article class="panel panel--alerts">
          <header class="panel-head"><h2>${h(t('alerts.title'))}</h2><span class="badge" id="alert-count">0</span></header>
          <ul class="alerts" id="alerts"></ul>
        </article>
      </section>

      <section class="panel panel--concert">
        <header class="panel-head panel-head--concert">
          <div>
            <h2 id="concert-title">${h(t('concert.heading'))}</h2>
            <p class="muted" id="concert-meta"></p>
          </div>
          <label class="select">
            <span class="visually-hidden">${h(t('concert.select'))}</span>
            <select id="concert-select" aria-label="${h(t('concert.select'))}"></select>
          </label>
        </header>
        <div class="concert-stats" id="concert-stats"></div>
        <div class="grid grid--concert">
          <div>
            <h3>${h(t('concert.tiers'))}</h3>
            <div class="chart-box chart-box--tiers"><canvas id="tier-chart" aria-label="${h(t('concert.tierChart'))}"></canvas></div>
            <h3>${h(t('concert.sections'))}</h3>
            <div class="sections" id="sections"></div>
          </div>
          <div>
            <div class="heatmap-head">
              <h3>${h(t('concert.heatMap'))}</h3>
              <ul class="legend"><li><i class="swatch swatch--sold"></i>${h(t('status.sold'))}</li><li><i class="swatch swatch--held"></i>${h(t('status.held'))}</li><li><i class="swatch swatch--available"></i>${h(t('status.available'))}</li></ul>
            </div>
            <div class="heatmap" id="heatmap"><p class="empty">${h(t('concert.none'))}</p></div>
            <div class="heatmap-tooltip" id="heatmap-tooltip" hidden></div>
          </div>
        </div>
      </section>

      <section class="panel panel--queue" id="queue-panel" aria-label="${h(t('queue.region'))}"></section>

      <section class="panel" id="merch-panel" aria-label="${h(t('drops.title'))}"></section>

      <section class="grid grid--bottom">
        <article class="panel">
          <header class="panel-head"><h2>${h(t('merch.title'))}</h2><span class="muted" id="stock-summary"></span></header>
          <div class="gauges" id="gauges"></div>
        </article>
        <article class="panel">
          <header class="panel-head"><h2>${h(t('orders.title'))}</h2><span class="muted" id="reasons"></span></header>
          <div class="table-wrap">
            <table class="orders">
              <thead><tr><th>${h(t('orders.order'))}</th><th>${h(t('orders.for'))}</th><th>${h(t('orders.status'))}</th><th class="num">${h(t('orders.total'))}</th><th>${h(t('orders.updated'))}</th></tr></thead>
              <tbody id="orders"></tbody>
            </table>
          </div>
        </article>
      </section>
    </main>`;
}

function kpi(id, label) {
  return `<div class="kpi" id="kpi-${id}"><span class="kpi-label">${h(label)}</span><span class="kpi-value" data-testid="${id}">—</span><span class="kpi-sub"></span></div>`;
}

function setKpi(id, value, sub = '', tone = '') {
  const card = document.getElementById(`kpi-${id}`);
  const valueElement = card.querySelector('.kpi-value');
  if (valueElement.textContent !== value) {
    valueElement.textContent = value;
    card.classList.remove('kpi--changed');
    void card.offsetWidth; // restart the highlight
    card.classList.add('kpi--changed');
  }
  card.querySelector('.kpi-sub').textContent = sub;
  card.dataset.tone = tone;
}

function startDashboard(session) {
  layout(session);
  bindLanguagePicker();
  const state = { session, overview: null, selected: sessionStorage.getItem('ticketing.ops.concert'), concert: null, loading: false, again: false };
  const sales = new SalesChart(document.getElementById('sales-chart'));
  const tiers = new TierChart(document.getElementById('tier-chart'));
  const heatMap = new SeatHeatMap(document.getElementById('heatmap'), document.getElementById('heatmap-tooltip'));
  const gauges = new Map();
  const select = document.getElementById('concert-select');
  const queue = new QueuePanel(document.getElementById('queue-panel'), session, (status) => {
    signOut();
    showSignIn(status === 403 ? t('signIn.notOperator') : t('signIn.ended'));
  });

  // A refused token is handled by the queue panel and the overview; the merch panel only stops.
  const merch = new MerchPanel(document.getElementById('merch-panel'), session, () => {});

  const stop = followOverview(session, {
    onOverview: (overview) => {
      state.overview = overview;
      renderOverview(overview);
      refreshConcert();
    },
    onState: (live) => {
      const element = document.getElementById('live-state');
      element.dataset.state = live;
      document.getElementById('live-label').textContent = live === 'live' ? t('top.live') : t('top.reconnecting');
    },
    onDenied: (status) => {
      queue.stop();
      merch.stop();
      signOut();
      showSignIn(status === 403 ? t('signIn.notOperator') : t('signIn.ended'));
    },
  });

  document.getElementById('signout').addEventListener('click', () => {
    stop();
    queue.stop();
    merch.stop();
    signOut();
    showSignIn();
  });
  select.addEventListener('change', () => {
    state.selected = select.value;
    sessionStorage.setItem('ticketing.ops.concert', select.value);
    state.concert = null;
    refreshConcert();
  });

  function mainCurrency(overview) {
    return overview.revenue[0]?.currency ?? overview.concerts.find((c) => c.currency)?.currency ?? overview.products[0]?.currency ?? '';
  }

  function renderOverview(o) {
    const currency = mainCurrency(o);
    setKpi('orders-confirmed', count(o.orders.confirmed), t('kpi.placedRefunded', { placed: o.orders.placed, refunded: o.orders.refunded }));
    setKpi('revenue', o.revenue.length ? money(o.revenue[0].value, o.revenue[0].currency) : money(0, currency),
      o.revenue.slice(1).map((r) => money(r.value, r.currency)).join(' · ') || t('kpi.revenueSub'));
    setKpi('tickets-sold', count(o.tickets.sold), t('kpi.ticketsSub', { capacity: o.tickets.capacity, held: o.tickets.held }));
    setKpi('decline-rate', share(o.payments.declineRate), t('kpi.declineSub', { declined: o.payments.declined, attempted: o.payments.attempted }),
      o.payments.declineRate > 0.2 ? 'bad' : '');
    setKpi('pending', count(o.orders.pending), t('kpi.stuck', { count: o.stuckOrders.length }),
      o.stuckOrders.length ? 'bad' : '');
    setKpi('merch-sold', count(o.merch.sold), t('kpi.merchSub', { available: o.merch.available, reserved: o.merch.reserved }));
    document.getElementById('updated-at').textContent = t('top.updated', { time: time(o.generatedAt) });

    sales.update(o.perMinute, currency);
    renderAlerts(o.alerts, o);
    renderConcertOptions(o.concerts);
    renderGauges(o.products);
    renderOrders(o);
  }

  function renderAlerts(alerts, o) {
    document.getElementById('alert-count').textContent = count(alerts.length);
    document.getElementById('alert-count').dataset.tone = alerts.some((a) => a.severity === 'critical') ? 'bad' : '';
    const list = document.getElementById('alerts');
    list.innerHTML = alerts.length
      ? alerts.map((a) => `
          <li class="alert alert--${h(a.severity)}" data-kind="${h(a.kind)}">
            <span class="alert-icon" aria-hidden="true"></span>
            <div><strong>${h(alertText(a, o).title)}</strong><p>${h(alertText(a, o).detail)}</p><time datetime="${h(a.at)}">${h(time(a.at))}</time></div>
          </li>`).join('')
      : `<li class="empty">${h(t('alerts.none'))}</li>`;
  }

  // An alert in the operator's language, from its kind and the overview's own numbers (the API's title and detail
  // are English, for logs and developers); a kind this dashboard does not know keeps the API's words.
  function alertText(a, o) {
    const concert = o.concerts.find((c) => c.concertId === a.subjectId);
    const product = o.products.find((p) => p.productId === a.subjectId);
    const concertName = concert ? `${concert.artist} — ${concert.title}` : '';
    switch (a.kind) {
      case 'orders_stuck':
        return { title: t('alert.orders_stuck', { count: o.stuckOrders.length }), detail: t('alert.orders_stuck.detail') };
      case 'concert_sold_out':
        return concert ? { title: t('alert.concert_sold_out', { name: concertName }), detail: t('alert.concert_sold_out.detail', { capacity: concert.capacity ?? 0 }) } : a;
      case 'tier_sold_out': {
        const tier = a.title.replace(/ sold out$/, '');
        return { title: t('alert.tier_sold_out', { tier }), detail: t('alert.tier_sold_out.detail', { name: concertName, tier }) };
      }
      case 'product_sold_out':
        return product ? { title: t('alert.product_sold_out', { name: product.name }), detail: t('alert.product_sold_out.detail', { sold: product.sold, stock: product.stock }) } : a;
      default:
        return a;
    }
  }

  function renderConcertOptions(concerts) {
    const options = concerts.map((c) => `<option value="${h(c.concertId)}">${h(c.artist || t('concert.fallbackName'))} — ${h(c.title || c.concertId)}${c.cancelled ? ` ${h(t('concert.cancelledOption'))}` : ''}</option>`).join('');
    if (select.dataset.options !== options) {
      select.innerHTML = options;
      select.dataset.options = options;
    }
    if (!concerts.some((c) => c.concertId === state.selected)) {
      state.selected = concerts.find((c) => !c.cancelled)?.concertId ?? concerts[0]?.concertId ?? null;
    }
    if (state.selected) select.value = state.selected;
  }

  async function refreshConcert() {
    if (!state.selected) return;
    const summary = state.overview?.concerts.find((c) => c.concertId === state.selected);
    const key = summary ? concertKey(summary, state.concertSettled, state.overview.version) : state.selected;
    if (state.concert && state.concertKey === key) return;
    if (state.loading) {
      state.again = true;
      return;
    }
    state.loading = true;
    try {
      const detail = await getJson(`/api/insights/concerts/${state.selected}`, state.session);
      if (detail.concert.concertId === state.selected) {
        state.concert = detail;
        state.concertSettled = seatMapAgrees(detail);
        state.concertKey = concertKey(detail.concert, state.concertSettled, detail.version);
        renderConcert(detail);
      }
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        signOut();
        showSignIn(t('signIn.ended'));
        return;
      }
    } finally {
      state.loading = false;
    }
    if (state.again) {
      state.again = false;
      refreshConcert();
    }
  }

  // The concert's counts and its seat map are two projections that catch up one after the other: a detail read
  // between the two has the new counts and an old seat map. Its counts no longer change, so such a detail is also
  // keyed by the projections' version, and read again when they move on; a settled one only when its counts change.
  function concertKey(c, settled, version) {
    return `${c.concertId}|${c.held}|${c.sold}|${c.cancelled}${settled ? '' : `|${version}`}`;
  }

  function seatMapAgrees({ concert: c, seatMap }) {
    let held = 0;
    let sold = 0;
    for (const section of seatMap.sections) {
      for (const row of section.rows) {
        for (const status of row.statuses) {
          if (status === 'h') held++;
          else if (status === 's') sold++;
        }
      }
    }
    return held === c.held && sold === c.sold;
  }

  function renderConcert({ concert: c, sections, seatMap }) {
    document.getElementById('concert-title').textContent = `${c.artist} — ${c.title}`;
    document.getElementById('concert-meta').textContent =
      t('concert.meta', { venue: c.venue, city: c.city, venueTime: venueTime(c.startsAt, c.timeZone), yourTime: venueTime(c.startsAt, viewerTimeZone) })
      + (c.cancelled ? ` · ${t('concert.cancelled')}` : '');
    const currency = c.currency;
    document.getElementById('concert-stats').innerHTML = [
      stat(t('status.sold'), count(c.sold), t('stat.soldSub', { share: share(c.sellThrough), capacity: c.capacity }), 'concert-sold'),
      stat(t('status.held'), count(c.held), t('stat.heldSub'), 'concert-held'),
      stat(t('status.available'), count(c.available), c.soldOutAt ? t('stat.soldOutAt', { time: time(c.soldOutAt) }) : t('stat.onSale'), 'concert-available'),
      stat(t('kpi.revenue'), money(c.revenue, currency), t('stat.afterRefunds'), 'concert-revenue'),
    ].join('');
    tiers.update(c.tiers);
    document.getElementById('sections').innerHTML = sections.map((s) => `
      <div class="section-bar" title="${h(t('concert.sectionTitle', { section: s.code, sold: s.sold, held: s.held, available: s.available }))}">
        <span class="section-name">${h(s.code)} <small>${h(s.tier)}</small></span>
        <span class="bar"><i class="bar-sold" data-share="${(s.sold / Math.max(1, s.capacity)) * 100}"></i><i class="bar-held" data-share="${(s.held / Math.max(1, s.capacity)) * 100}"></i></span>
        <span class="section-share">${share(s.sellThrough)}</span>
      </div>`).join('');
    // Widths through the CSSOM: the page's content security policy allows no inline style attributes.
    for (const bar of document.querySelectorAll('#sections [data-share]')) bar.style.width = `${bar.dataset.share}%`;
    heatMap.render(c.concertId, seatMap);
  }

  function stat(label, value, sub, id) {
    return `<div class="stat"><span class="stat-label">${h(label)}</span><span class="stat-value" data-testid="${id}">${h(value)}</span><span class="stat-sub">${h(sub)}</span></div>`;
  }

  function renderGauges(products) {
    const container = document.getElementById('gauges');
    document.getElementById('stock-summary').textContent = t('merch.products', { count: products.length });
    if (!products.length) {
      container.innerHTML = `<p class="empty">${h(t('merch.none'))}</p>`;
      for (const gauge of gauges.values()) gauge.destroy();
      gauges.clear();
      return;
    }
    container.querySelector('.empty')?.remove();
    const ids = new Set(products.map((p) => p.productId));
    for (const [id, gauge] of gauges) {
      if (!ids.has(id)) {
        gauge.destroy();
        gauges.delete(id);
        container.querySelector(`[data-product="${CSS.escape(id)}"]`)?.remove();
      }
    }
    for (const p of products) {
      let card = container.querySelector(`[data-product="${CSS.escape(p.productId)}"]`);
      if (!card) {
        card = document.createElement('div');
        card.className = 'gauge';
        card.dataset.product = p.productId;
        card.innerHTML = `<div class="gauge-chart"><canvas></canvas><div class="gauge-center"><strong></strong><span>${h(t('merch.left'))}</span></div></div>
          <div class="gauge-name"></div><div class="gauge-sub"></div>`;
        container.append(card);
        gauges.set(p.productId, new StockGauge(card.querySelector('canvas')));
      }
      gauges.get(p.productId).update(p);
      card.querySelector('.gauge-center strong').textContent = count(p.available);
      card.querySelector('.gauge-name').textContent = p.name;
      card.querySelector('.gauge-sub').textContent = t('merch.sub', { sold: p.sold, stock: p.stock, revenue: money(p.revenue, p.currency) });
      card.dataset.soldOut = p.soldOutAt ? 'true' : 'false';
    }
  }

  function renderOrders(o) {
    const reasons = Object.entries(o.orders.cancelledByReason).sort((a, b) => b[1] - a[1]);
    document.getElementById('reasons').textContent = reasons.length
      ? t('orders.cancelledBy', { reasons: reasons.map(([code, n]) => `${reason(code)} ${count(n)}`).join(' · ') })
      : '';
    const stuck = new Set(o.stuckOrders.map((s) => s.orderId));
    const now = Date.parse(o.generatedAt);
    document.getElementById('orders').innerHTML = o.recentOrders.length
      ? o.recentOrders.map((order) => `
          <tr data-order="${h(order.orderId)}">
            <td><code>${h(order.orderId.slice(-8))}</code><small>${h(order.fanId)}</small></td>
            <td class="what">${h(order.description)}</td>
            <td><span class="pill pill--${h(stuck.has(order.orderId) ? 'stuck' : order.status.toLowerCase())}">${h(stuck.has(order.orderId) ? t('orders.stuck') : orderStatus(order.status))}</span>${order.reason ? `<small>${h(reason(order.reason))}</small>` : ''}</td>
            <td class="num">${order.currency ? h(money(order.total, order.currency)) : '—'}</td>
            <td><time datetime="${h(order.updatedAt)}" title="${h(time(order.updatedAt))}">${h(ago(order.updatedAt, now))}</time></td>
          </tr>`).join('')
      : `<tr><td colspan="5" class="empty">${h(t('orders.none'))}</td></tr>`;
  }

  function orderStatus(status) {
    return statusText('orders', status);
  }
}

await startI18n();
const session = currentSession();
if (session) startDashboard(session);
else showSignIn();
