// Small DOM helpers shared by the views.
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`page: missing #${id}`);
  return element as T;
}

/** Shows a visible message (errors in red, notes in blue); `undefined` hides it. */
export function showMessage(text: string | undefined, kind: 'error' | 'info' = 'error'): void {
  const box = byId('message');
  box.hidden = text === undefined;
  box.textContent = text ?? '';
  box.classList.toggle('info', kind === 'info');
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function format(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/** Sets the text of an element by id. */
export function setText(id: string, text: string): void {
  byId(id).textContent = text;
}
