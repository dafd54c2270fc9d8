// Pan (drag) and zoom (wheel, buttons, keys) for the diagram, as a CSS transform on the
// canvas. A press that moves less than a few pixels is a click and reaches the node.

const MIN_SCALE = 0.05;
const MAX_SCALE = 8;
const CLICK_SLOP_PX = 4;

export class PanZoom {
  private scale = 1;
  private x = 0;
  private y = 0;
  private drag: { startX: number; startY: number; originX: number; originY: number; moved: boolean } | undefined;

  constructor(
    private readonly viewport: HTMLElement,
    private readonly canvas: HTMLElement,
  ) {
    viewport.addEventListener('wheel', (event) => {
      event.preventDefault();
      const factor = Math.exp(-event.deltaY * (event.ctrlKey ? 0.01 : 0.0015));
      this.zoomAt(factor, event.offsetX, event.offsetY);
    }, { passive: false });
    viewport.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      this.drag = { startX: event.clientX, startY: event.clientY, originX: this.x, originY: this.y, moved: false };
    });
    window.addEventListener('pointermove', (event) => {
      if (!this.drag) return;
      const dx = event.clientX - this.drag.startX;
      const dy = event.clientY - this.drag.startY;
      if (!this.drag.moved && Math.hypot(dx, dy) < CLICK_SLOP_PX) return;
      if (!this.drag.moved) {
        this.drag.moved = true;
        viewport.classList.add('panning');
      }
      this.x = this.drag.originX + dx;
      this.y = this.drag.originY + dy;
      this.apply();
    });
    window.addEventListener('pointerup', () => {
      viewport.classList.remove('panning');
      // Let the click that follows this pointerup see whether it was a drag.
      setTimeout(() => (this.drag = undefined), 0);
    });
    viewport.addEventListener('keydown', (event) => {
      if (event.key === '+' || event.key === '=') this.zoomBy(1.25);
      else if (event.key === '-') this.zoomBy(0.8);
      else if (event.key === '0') this.fit();
    });
  }

  /** True while the current press has become a drag (its click must not open a node). */
  get dragging(): boolean {
    return this.drag?.moved ?? false;
  }

  zoomBy(factor: number): void {
    this.zoomAt(factor, this.viewport.clientWidth / 2, this.viewport.clientHeight / 2);
  }

  /** Scales the drawing to fit the viewport (never above natural size), centred. */
  fit(): void {
    const svg = this.canvas.querySelector('svg');
    if (!svg) return;
    const width = svg.getBoundingClientRect().width / this.scale;
    const height = svg.getBoundingClientRect().height / this.scale;
    if (width === 0 || height === 0) return;
    const padding = 16;
    this.scale = clamp(Math.min((this.viewport.clientWidth - padding * 2) / width, (this.viewport.clientHeight - padding * 2) / height, 1));
    this.x = (this.viewport.clientWidth - width * this.scale) / 2;
    this.y = Math.max(padding, (this.viewport.clientHeight - height * this.scale) / 2);
    this.apply();
  }

  private zoomAt(factor: number, px: number, py: number): void {
    const next = clamp(this.scale * factor);
    const ratio = next / this.scale;
    this.x = px - (px - this.x) * ratio;
    this.y = py - (py - this.y) * ratio;
    this.scale = next;
    this.apply();
  }

  private apply(): void {
    this.canvas.style.transform = `translate(${this.x}px, ${this.y}px) scale(${this.scale})`;
  }
}

function clamp(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}
