import './styles.css';
import { ApiError, currentSession, followOverview, getJson, signIn, signOut } from './api.js';
import { SalesChart, StockGauge, TierChart } from './charts.js';
import { ago, count, escapeHtml as h, money, reason, share, time, venueTime, viewerTimeZone } from './format.js';
import { SeatHeatMap } from './heatmap.js';
import { QueuePanel } from './queue.js';
import { MerchPanel } from './merch.js';

const app = document.getElementById('app');

function showSignIn(message = '') {
  app.innerHTML = `
    <main class="signin">
      <form class="signin-card" id="signin-form" novalidate>
        <div class="brand brand--large"><span class="brand-mark" aria-hidden="true"></span><span>Ticketing <strong>Ops</strong></span></div>
        <h1>Operator sign-in</h1>
        <p class="muted">Live sales, seats and stock for drop day.</p>
        <label for="signin-user">Operator name</label>
        <input id="signin-user" name="userName" autocomplete="username" required maxlength="100" placeholder="e.g. ops-lead" />
        <p class="form-error" id="signin-error" role="alert">${h(message)}</p>
        <button type="submit" class="button button--primary" id="signin-submit">Sign in</button>
        <p class="fineprint">Signs in with this gateway's local token issuer (development and test systems).</p>
      </form>
    </main>`;
  const form = document.getElementById('signin-form');
  const input = document.getElementById('signin-user');
  input.focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const userName = input.value.trim();
    const error = document.getElementById('signin-error');
    if (!/^[A-Za-z0-9._@-]{1,100}$/.test(userName)) {
      error.textContent = 'Use 1 to 100 letters, digits, ".", "_", "-" or "@".';
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
      <div class="live" id="live-state" data-state="connecting"><span class="live-dot" aria-hidden="true"></span><span id="live-label">Connecting…</span></div>
      <div class="topbar-right">
        <span class="muted" id="updated-at" title="Times are shown in your time zone">Times in ${h(viewerTimeZone)}</span>
        <span class="user" title="Signed in as operator">${h(session.userName)}</span>
        <button class="button button--ghost" id="signout">Sign out</button>
      </div>
    </header>
    <main class="dashboard">
      <section class="kpis" aria-label="Key numbers">
        ${kpi('orders-confirmed', 'Orders confirmed')}
        ${kpi('revenue', 'Revenue')}
        ${kpi('tickets-sold', 'Tickets sold')}
        ${kpi('decline-rate', 'Payment decline rate')}
        ${kpi('pending', 'Orders pending')}
        ${kpi('merch-sold', 'Merch sold')}
      </section>

      <section class="grid grid--main">
        <article class="panel panel--chart">
          <header class="panel-head"><h2>Sales per minute</h2><span class="muted">last 60 minutes</span></header>
          <div class="chart-box"><canvas id="sales-chart" aria-label="Orders and revenue per minute"></canvas></div>
        </article>
        <article class="panel panel--alerts">
          <header class="panel-head"><h2>Alerts</h2><span class="badge" id="alert-count">0</span></header>
          <ul class="alerts" id="alerts"></ul>
        </article>
      </section>

      <section class="panel panel--concert">
        <header class="panel-head panel-head--concert">
          <div>
            <h2 id="concert-title">Concerts</h2>
            <p class="muted" id="concert-meta"></p>
          </div>
          <label class="select">
            <span class="visually-hidden">Concert</span>
            <select id="concert-select" aria-label="Concert"></select>
          </label>
        </header>
        <div class="concert-stats" id="concert-stats"></div>
        <div class="grid grid--concert">
          <div>
            <h3>Sell-through by tier</h3>
            <div class="chart-box chart-box--tiers"><canvas id="tier-chart" aria-label="Sold, held and available seats per tier"></canvas></div>
            <h3>Sections</h3>
            <div class="sections" id="sections"></div>
          </div>
          <div>
            <div class="heatmap-head">
              <h3>Seat heat map</h3>
              <ul class="legend"><li><i class="swatch swatch--sold"></i>Sold</li><li><i class="swatch swatch--held"></i>Held</li><li><i class="swatch swatch--available"></i>Available</li></ul>
            </div>
            <div class="heatmap" id="heatmap"><p class="empty">No concert yet.</p></div>
            <div class="heatmap-tooltip" id="heatmap-tooltip" hidden></div>
          </div>
        </div>
      </section>

      <section class="panel panel--queue" id="queue-panel" aria-label="Waiting room"></section>

      <section class="panel" id="merch-panel" aria-label="Merch drops"></section>

      <section class="grid grid--bottom">
        <article class="panel">
          <header class="panel-head"><h2>Merch stock</h2><span class="muted" id="stock-summary"></span></header>
          <div class="gauges" id="gauges"></div>
        </article>
        <article class="panel">
          <header class="panel-head"><h2>Recent orders</h2><span class="muted" id="reasons"></span></header>
          <div class="table-wrap">
            <table class="orders">
              <thead><tr><th>Order</th><th>For</th><th>Status</th><th class="num">Total</th><th>Updated</th></tr></thead>
              <tbody id="orders"></tbody>
            </table>
          </div>
        </article>
      </section>
    </main>`;
}

function kpi(id, label) {
  return `<div class="kpi" id="kpi-${id}"><span class="kpi-label">${label}</span><span class="kpi-value" data-testid="${id}">—</span><span class="kpi-sub"></span></div>`;
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
  const state = { session, overview: null, selected: sessionStorage.getItem('ticketing.ops.concert'), concert: null, loading: false, again: false };
  const sales = new SalesChart(document.getElementById('sales-chart'));
  const tiers = new TierChart(document.getElementById('tier-chart'));
  const heatMap = new SeatHeatMap(document.getElementById('heatmap'), document.getElementById('heatmap-tooltip'));
  const gauges = new Map();
  const select = document.getElementById('concert-select');
  const queue = new QueuePanel(document.getElementById('queue-panel'), session, (status) => {
    signOut();
    showSignIn(status === 403 ? 'This account is not an operator.' : 'Your session has ended. Please sign in again.');
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
      document.getElementById('live-label').textContent = live === 'live' ? 'Live' : 'Reconnecting…';
    },
    onDenied: (status) => {
      queue.stop();
      merch.stop();
      signOut();
      showSignIn(status === 403 ? 'This account is not an operator.' : 'Your session has ended. Please sign in again.');
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
    setKpi('orders-confirmed', count(o.orders.confirmed), `${count(o.orders.placed)} placed · ${count(o.orders.refunded)} refunded`);
    setKpi('revenue', o.revenue.length ? money(o.revenue[0].value, o.revenue[0].currency) : money(0, currency),
      o.revenue.slice(1).map((r) => money(r.value, r.currency)).join(' · ') || 'seats and merch, after refunds');
    setKpi('tickets-sold', count(o.tickets.sold), `of ${count(o.tickets.capacity)} · ${count(o.tickets.held)} held now`);
    setKpi('decline-rate', share(o.payments.declineRate), `${count(o.payments.declined)} of ${count(o.payments.attempted)} payments`,
      o.payments.declineRate > 0.2 ? 'bad' : '');
    setKpi('pending', count(o.orders.pending), o.stuckOrders.length ? `${count(o.stuckOrders.length)} stuck` : 'none stuck',
      o.stuckOrders.length ? 'bad' : '');
    setKpi('merch-sold', count(o.merch.sold), `${count(o.merch.available)} left · ${count(o.merch.reserved)} reserved`);
    document.getElementById('updated-at').textContent = `Updated ${time(o.generatedAt)}`;

    sales.update(o.perMinute, currency);
    renderAlerts(o.alerts);
    renderConcertOptions(o.concerts);
    renderGauges(o.products);
    renderOrders(o);
  }

  function renderAlerts(alerts) {
    document.getElementById('alert-count').textContent = count(alerts.length);
    document.getElementById('alert-count').dataset.tone = alerts.some((a) => a.severity === 'critical') ? 'bad' : '';
    const list = document.getElementById('alerts');
    list.innerHTML = alerts.length
      ? alerts.map((a) => `
          <li class="alert alert--${h(a.severity)}" data-kind="${h(a.kind)}">
            <span class="alert-icon" aria-hidden="true"></span>
            <div><strong>${h(a.title)}</strong><p>${h(a.detail)}</p><time datetime="${h(a.at)}">${h(time(a.at))}</time></div>
          </li>`).join('')
      : '<li class="empty">All quiet: nothing sold out, no order stuck.</li>';
  }

  function renderConcertOptions(concerts) {
    const options = concerts.map((c) => `<option value="${h(c.concertId)}">${h(c.artist || 'Concert')} — ${h(c.title || c.concertId)}${c.cancelled ? ' (cancelled)' : ''}</option>`).join('');
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
    const key = summary ? `${summary.concertId}|${summary.held}|${summary.sold}|${summary.cancelled}` : state.selected;
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
        state.concertKey = `${detail.concert.concertId}|${detail.concert.held}|${detail.concert.sold}|${detail.concert.cancelled}`;
        renderConcert(detail);
      }
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        signOut();
        showSignIn('Your session has ended. Please sign in again.');
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

  function renderConcert({ concert: c, sections, seatMap }) {
    document.getElementById('concert-title').textContent = `${c.artist} — ${c.title}`;
    document.getElementById('concert-meta').textContent =
      `${c.venue}, ${c.city} · ${venueTime(c.startsAt, c.timeZone)} venue time · ${venueTime(c.startsAt, viewerTimeZone)} your time${c.cancelled ? ' · Cancelled' : ''}`;
    const currency = c.currency;
    document.getElementById('concert-stats').innerHTML = [
      stat('Sold', count(c.sold), `${share(c.sellThrough)} of ${count(c.capacity)}`, 'concert-sold'),
      stat('Held', count(c.held), 'in checkout now', 'concert-held'),
      stat('Available', count(c.available), c.soldOutAt ? `sold out at ${time(c.soldOutAt)}` : 'on sale', 'concert-available'),
      stat('Revenue', money(c.revenue, currency), 'after refunds', 'concert-revenue'),
    ].join('');
    tiers.update(c.tiers);
    document.getElementById('sections').innerHTML = sections.map((s) => `
      <div class="section-bar" title="${h(s.code)}: ${count(s.sold)} sold, ${count(s.held)} held, ${count(s.available)} available">
        <span class="section-name">${h(s.code)} <small>${h(s.tier)}</small></span>
        <span class="bar"><i class="bar-sold" data-share="${(s.sold / Math.max(1, s.capacity)) * 100}"></i><i class="bar-held" data-share="${(s.held / Math.max(1, s.capacity)) * 100}"></i></span>
        <span class="section-share">${share(s.sellThrough)}</span>
      </div>`).join('');
    // Widths through the CSSOM: the page's content security policy allows no inline style attributes.
    for (const bar of document.querySelectorAll('#sections [data-share]')) bar.style.width = `${bar.dataset.share}%`;
    heatMap.render(c.concertId, seatMap);
  }

  function stat(label, value, sub, id) {
    return `<div class="stat"><span class="stat-label">${label}</span><span class="stat-value" data-testid="${id}">${h(value)}</span><span class="stat-sub">${h(sub)}</span></div>`;
  }

  function renderGauges(products) {
    const container = document.getElementById('gauges');
    document.getElementById('stock-summary').textContent = `${count(products.length)} product${products.length === 1 ? '' : 's'}`;
    if (!products.length) {
      container.innerHTML = '<p class="empty">No merch listed yet.</p>';
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
        card.innerHTML = `<div class="gauge-chart"><canvas></canvas><div class="gauge-center"><strong></strong><span>left</span></div></div>
          <div class="gauge-name"></div><div class="gauge-sub"></div>`;
        container.append(card);
        gauges.set(p.productId, new StockGauge(card.querySelector('canvas')));
      }
      gauges.get(p.productId).update(p);
      card.querySelector('.gauge-center strong').textContent = count(p.available);
      card.querySelector('.gauge-name').textContent = p.name;
      card.querySelector('.gauge-sub').textContent = `${count(p.sold)} / ${count(p.stock)} sold · ${money(p.revenue, p.currency)}`;
      card.dataset.soldOut = p.soldOutAt ? 'true' : 'false';
    }
  }

  function renderOrders(o) {
    const reasons = Object.entries(o.orders.cancelledByReason).sort((a, b) => b[1] - a[1]);
    document.getElementById('reasons').textContent = reasons.length
      ? `Cancelled: ${reasons.map(([code, n]) => `${reason(code)} ${count(n)}`).join(' · ')}`
      : '';
    const stuck = new Set(o.stuckOrders.map((s) => s.orderId));
    const now = Date.parse(o.generatedAt);
    document.getElementById('orders').innerHTML = o.recentOrders.length
      ? o.recentOrders.map((order) => `
          <tr data-order="${h(order.orderId)}">
            <td><code>${h(order.orderId.slice(-8))}</code><small>${h(order.fanId)}</small></td>
            <td class="what">${h(order.description)}</td>
            <td><span class="pill pill--${h(stuck.has(order.orderId) ? 'stuck' : order.status.toLowerCase())}">${h(stuck.has(order.orderId) ? 'Stuck' : order.status)}</span>${order.reason ? `<small>${h(reason(order.reason))}</small>` : ''}</td>
            <td class="num">${order.currency ? h(money(order.total, order.currency)) : '—'}</td>
            <td><time datetime="${h(order.updatedAt)}" title="${h(time(order.updatedAt))}">${h(ago(order.updatedAt, now))}</time></td>
          </tr>`).join('')
      : '<tr><td colspan="5" class="empty">No orders yet.</td></tr>';
  }
}

const session = currentSession();
if (session) startDashboard(session);
else showSignIn();
