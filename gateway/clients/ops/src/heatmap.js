import { statusText, t } from './i18n.js';
const SVG = 'http://www.w3.org/2000/svg';
const CELL = 10;
const GAP = 2;
const SECTION_GAP = 26;
const LABEL = 16;
const STATUS = { a: 'available', h: 'held', s: 'sold' };

function svg(name, attributes = {}) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  return element;
}

/**
 * The seat heat map of one concert: one square per seat, sections laid out in seat-map order, coloured by status
 * (data-status = available | held | sold). Updates only touch the seats whose status changed.
 */
export class SeatHeatMap {
  constructor(container, tooltip) {
    this.container = container;
    this.tooltip = tooltip;
    this.concertId = null;
    this.rows = new Map(); // "SECTION-ROW" -> { statuses, rects }
    container.addEventListener('mousemove', (event) => this.#hover(event));
    container.addEventListener('mouseleave', () => { this.tooltip.hidden = true; });
  }

  render(concertId, seatMap) {
    if (concertId !== this.concertId || !this.#sameLayout(seatMap)) {
      this.#build(concertId, seatMap);
      return;
    }
    for (const section of seatMap.sections) {
      for (const row of section.rows) {
        const known = this.rows.get(`${section.code}-${row.label}`);
        if (!known || known.statuses === row.statuses) continue;
        for (let i = 0; i < row.statuses.length; i++) {
          if (known.statuses[i] !== row.statuses[i]) known.rects[i].setAttribute('data-status', STATUS[row.statuses[i]] ?? 'available');
        }
        known.statuses = row.statuses;
      }
    }
  }

  #sameLayout(seatMap) {
    let rows = 0;
    for (const section of seatMap.sections) {
      for (const row of section.rows) {
        rows++;
        const known = this.rows.get(`${section.code}-${row.label}`);
        if (!known || known.statuses.length !== row.statuses.length) return false;
      }
    }
    return rows === this.rows.size;
  }

  #build(concertId, seatMap) {
    this.concertId = concertId;
    this.rows.clear();
    const blocks = seatMap.sections.map((section) => {
      const widest = Math.max(1, ...section.rows.map((row) => row.statuses.length));
      return { section, width: widest * (CELL + GAP) - GAP, height: LABEL + section.rows.length * (CELL + GAP) - GAP };
    });
    const area = blocks.reduce((sum, b) => sum + (b.width + SECTION_GAP) * (b.height + SECTION_GAP), 0);
    const target = Math.max(...blocks.map((b) => b.width), Math.sqrt(area) * 1.9, 240);

    // Flow the sections into lines no wider than the target, centring each line under the stage.
    const lines = [];
    let line = { blocks: [], width: 0, height: 0 };
    for (const block of blocks) {
      const width = line.blocks.length ? line.width + SECTION_GAP + block.width : block.width;
      if (line.blocks.length && width > target) {
        lines.push(line);
        line = { blocks: [], width: 0, height: 0 };
      }
      line.width = line.blocks.length ? line.width + SECTION_GAP + block.width : block.width;
      line.height = Math.max(line.height, block.height);
      line.blocks.push(block);
    }
    if (line.blocks.length) lines.push(line);
    const width = Math.max(...lines.map((l) => l.width), 240);

    const root = svg('svg', { class: 'heatmap-svg', role: 'img', 'aria-label': t('concert.heatMapLabel') });
    const stageHeight = 22;
    root.append(svg('rect', { x: width * 0.2, y: 0, width: width * 0.6, height: stageHeight, rx: 6, class: 'stage' }));
    const stageLabel = svg('text', { x: width / 2, y: stageHeight / 2 + 4, class: 'stage-label', 'text-anchor': 'middle' });
    stageLabel.textContent = t('concert.stage');
    root.append(stageLabel);

    let y = stageHeight + 24;
    for (const l of lines) {
      let x = (width - l.width) / 2;
      for (const block of l.blocks) {
        const group = svg('g', { transform: `translate(${x} ${y})`, class: 'section' });
        const label = svg('text', { x: 0, y: 11, class: 'section-label' });
        label.textContent = `${block.section.code} · ${block.section.tier}`;
        group.append(label);
        block.section.rows.forEach((row, r) => {
          const rects = [];
          for (let i = 0; i < row.statuses.length; i++) {
            const rect = svg('rect', {
              x: i * (CELL + GAP), y: LABEL + r * (CELL + GAP), width: CELL, height: CELL, rx: 2,
              class: 'seat', 'data-seat': `${block.section.code}-${row.label}-${i + 1}`, 'data-status': STATUS[row.statuses[i]] ?? 'available',
            });
            rects.push(rect);
            group.append(rect);
          }
          this.rows.set(`${block.section.code}-${row.label}`, { statuses: row.statuses, rects });
        });
        root.append(group);
        x += block.width + SECTION_GAP;
      }
      y += l.height + SECTION_GAP;
    }
    root.setAttribute('viewBox', `0 0 ${width} ${y - SECTION_GAP + 4}`);
    // A small venue is not blown up to the panel's width: at most 2.2 screen pixels per unit.
    root.style.maxWidth = `${Math.round(width * 2.2)}px`;
    this.container.replaceChildren(root);
  }

  #hover(event) {
    const seat = event.target?.dataset?.seat;
    if (!seat) {
      this.tooltip.hidden = true;
      return;
    }
    const [section, row, number] = seat.split(/-(?=[^-]+-[^-]+$)|-(?=[^-]+$)/);
    const status = event.target.dataset.status;
    this.tooltip.textContent = t('concert.seatTooltip', { section, row, number, status: statusText('status', status) });
    const box = this.container.getBoundingClientRect();
    this.tooltip.style.left = `${event.clientX - box.left + 12}px`;
    this.tooltip.style.top = `${event.clientY - box.top + 12}px`;
    this.tooltip.hidden = false;
  }
}
