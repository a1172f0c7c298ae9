import './queue.css';
import { ApiError, getJson } from './api.js';
import { count, escapeHtml as h, time } from './format.js';
import { t } from './i18n.js';

/** The size of one import request: the gateway takes bodies up to 64 KB, so a large file goes in parts. */
const IMPORT_CHUNK_BYTES = 60_000;

/**
 * The waiting room of the selected drop, live: queue length, admitted, active, passes used and expired, the measured
 * admission rate and abandonment, polled every second; pause, resume, a new rate, presale members from a file.
 */
export class QueuePanel {
  constructor(element, session, onDenied) {
    this.element = element;
    this.session = session;
    this.onDenied = onDenied;
    this.selected = sessionStorage.getItem('ticketing.ops.drop');
    this.stopped = false;
    this.render();
    this.tick();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  render() {
    this.element.innerHTML = `
      <header class="panel-head">
        <div><h2 id="queue-title">${h(t('queue.heading'))}</h2><p class="muted" id="queue-meta">${h(t('queue.none'))}</p></div>
        <label class="select"><span class="visually-hidden">${h(t('queue.drop'))}</span><select id="queue-select" aria-label="${h(t('queue.dropSelect'))}"></select></label>
      </header>
      <div class="queue-stats" id="queue-stats"></div>
      <div class="queue-controls">
        <button class="button" id="queue-pause" type="button">${h(t('queue.pause'))}</button>
        <form class="queue-form" id="queue-rate-form">
          <label>${h(t('queue.rate'))} <input id="queue-rate" type="number" min="1" max="1000000" required /></label>
          <label>${h(t('queue.maxActive'))} <input id="queue-max-active" type="number" min="1" max="1000000" placeholder="${h(t('queue.noLimit'))}" /></label>
          <button class="button" type="submit">${h(t('queue.setRate'))}</button>
        </form>
        <form class="queue-form" id="queue-import-form">
          <label>${h(t('queue.members'))} <input id="queue-import-file" type="file" accept=".csv,text/csv,text/plain" /></label>
          <button class="button" type="submit">${h(t('queue.import'))}</button>
        </form>
      </div>
      <p class="queue-message" id="queue-message" role="status"></p>`;
    this.select = this.element.querySelector('#queue-select');
    this.select.addEventListener('change', () => {
      this.selected = this.select.value;
      sessionStorage.setItem('ticketing.ops.drop', this.selected);
      this.refresh();
    });
    this.element.querySelector('#queue-pause').addEventListener('click', () => this.togglePause());
    this.element.querySelector('#queue-rate-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.changeRate();
    });
    this.element.querySelector('#queue-import-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.importMembers();
    });
  }

  async tick() {
    if (this.stopped) return;
    await this.refresh();
    this.timer = setTimeout(() => this.tick(), 1000);
  }

  async refresh() {
    try {
      const drops = await getJson('/api/queue', this.session);
      this.renderOptions(drops);
      const drop = drops.find((d) => d.dropId === this.selected);
      if (drop) this.renderDrop(drop);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        this.stop();
        this.onDenied(e.status);
      }
    }
  }

  renderOptions(drops) {
    const kind = (k) => (k === 'concert' || k === 'product' ? t(`queue.kind.${k}`) : k);
    const options = drops.map((d) => `<option value="${h(d.dropId)}">${h(d.artist)} — ${h(d.title)} (${h(kind(d.kind))})</option>`).join('');
    if (this.select.dataset.options !== options) {
      this.select.innerHTML = options;
      this.select.dataset.options = options;
    }
    if (!drops.some((d) => d.dropId === this.selected)) this.selected = drops[0]?.dropId ?? null;
    if (this.selected) this.select.value = this.selected;
  }

  renderDrop(d) {
    this.drop = d;
    this.element.querySelector('#queue-title').textContent = t('queue.titleOf', { title: d.title });
    const roomName = (room) => (room === 'presale' || room === 'general' ? t(`queue.room.${room}`) : room);
    const rooms = d.rooms.map((r) => `${t('queue.room', { room: roomName(r.room), time: time(r.saleOpensAt) })}${r.drawnAt ? ` ${t('queue.drawn')}` : ''}`).join(' · ');
    this.element.querySelector('#queue-meta').textContent = t('queue.meta', { phase: phaseText(d.phase), time: time(d.opensAt), rooms });
    this.element.querySelector('#queue-stats').innerHTML = [
      stat(t('queue.waiting'), count(d.waiting), t('queue.joined', { count: d.joined }), 'queue-waiting'),
      stat(t('queue.admitted'), count(d.admitted), t('queue.perMinuteSet', { count: d.admissionsPerMinute }), 'queue-admitted'),
      stat(t('queue.active'), count(d.active), d.maxActive ? t('queue.max', { count: d.maxActive }) : t('queue.noLimit'), 'queue-active'),
      stat(t('queue.passesUsed'), count(d.passesUsed), t('queue.expired', { count: d.passesExpired }), 'queue-used'),
      stat(t('queue.admissionRate'), t('queue.perMinute', { count: Math.round(d.measuredAdmissionsPerMinute) }), t('queue.measured'), 'queue-rate-measured'),
      stat(t('queue.abandonment'), `${Math.round(d.abandonment * 100)} %`, t('queue.abandonmentSub'), 'queue-abandonment'),
    ].join('');
    const pause = this.element.querySelector('#queue-pause');
    pause.textContent = d.paused ? t('queue.resume') : t('queue.pause');
    pause.dataset.paused = String(d.paused);
    pause.disabled = !!d.closedReason;
    const rate = this.element.querySelector('#queue-rate');
    if (document.activeElement !== rate && !rate.dataset.edited) rate.value = d.admissionsPerMinute;
  }

  async send(method, path, body, contentType = 'application/json') {
    const response = await fetch(path, {
      method,
      headers: { Authorization: `Bearer ${this.session.token}`, 'Content-Type': contentType },
      body: body === undefined ? undefined : contentType === 'application/json' ? JSON.stringify(body) : body,
    });
    if (!response.ok) {
      let detail = response.statusText;
      try {
        const problem = await response.json();
        detail = problem.detail ?? (problem.errors ? Object.values(problem.errors).flat().join(' ') : problem.title);
      } catch {
        /* not a problem document */
      }
      throw new Error(detail);
    }
    return response.json();
  }

  message(text, tone = '') {
    const element = this.element.querySelector('#queue-message');
    element.textContent = text;
    element.dataset.tone = tone;
  }

  async togglePause() {
    if (!this.drop) return;
    const action = this.drop.paused ? 'resume' : 'pause';
    try {
      this.renderDrop(await this.send('POST', `/api/queue/${this.drop.dropId}/${action}`));
      this.message(action === 'pause' ? t('queue.paused') : t('queue.resumed'), 'good');
    } catch (e) {
      this.message(e.message, 'bad');
    }
  }

  async changeRate() {
    if (!this.drop) return;
    const admissionsPerMinute = Number(this.element.querySelector('#queue-rate').value);
    const maxActiveText = this.element.querySelector('#queue-max-active').value;
    try {
      this.renderDrop(await this.send('PUT', `/api/queue/${this.drop.dropId}/rate`,
        { admissionsPerMinute, maxActive: maxActiveText ? Number(maxActiveText) : null }));
      this.message(t('queue.rateSet', { count: admissionsPerMinute }), 'good');
    } catch (e) {
      this.message(e.message, 'bad');
    }
  }

  async importMembers() {
    const file = this.element.querySelector('#queue-import-file').files[0];
    if (!this.drop || !file) return;
    const lines = (await file.text()).split(/\r?\n/);
    const parts = [];
    let part = [];
    let size = 0;
    for (const line of lines) {
      if (size + line.length + 1 > IMPORT_CHUNK_BYTES && part.length) {
        parts.push(part.join('\n'));
        part = [];
        size = 0;
      }
      part.push(line);
      size += line.length + 1;
    }
    if (part.length) parts.push(part.join('\n'));
    try {
      let last = null;
      for (const body of parts.filter((p) => p.trim())) {
        last = await this.send('POST', `/api/queue/${this.drop.dropId}/presale/members`, body, 'text/csv');
      }
      this.message(last ? t('queue.imported', { members: last.members, codes: last.codes }) : t('queue.empty'), last ? 'good' : 'bad');
    } catch (e) {
      this.message(e.message, 'bad');
    }
  }
}

function phaseText(phase) {
  return ['announced', 'joining', 'presale', 'admitting', 'paused', 'sold_out', 'closed'].includes(phase) ? t(`queue.phase.${phase}`) : phase;
}

function stat(label, value, sub, id) {
  return `<div class="stat"><span class="stat-label">${h(label)}</span><span class="stat-value" data-testid="${id}">${h(value)}</span><span class="stat-sub">${h(sub)}</span></div>`;
}
