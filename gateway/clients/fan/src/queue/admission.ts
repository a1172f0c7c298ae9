// Admission passes the fan was given, kept on the device (a reload in the waiting room keeps them), and the
// X-Admission-Pass header they add to holds and checkouts of drops with a waiting room.
import { currentFan } from "../session";
import { signal } from "../signal";

export interface AdmissionPass { dropId: string; fan: string; pass: string; expiresAt: string }

const key = "ticketing.admissionPasses";

function load(): AdmissionPass[] {
  try {
    const stored = JSON.parse(localStorage.getItem(key) ?? "[]") as AdmissionPass[];
    return stored.filter((pass) => Date.parse(pass.expiresAt) > Date.now());
  } catch {
    return [];
  }
}

export const admissionPasses = signal<AdmissionPass[]>(load());

export function savePass(dropId: string, pass: string, expiresAt: string) {
  const fan = currentFan.value?.name;
  if (!fan) return;
  const kept = load().filter((existing) => !(existing.dropId === dropId && existing.fan === fan));
  const next = [...kept, { dropId, fan, pass, expiresAt }];
  localStorage.setItem(key, JSON.stringify(next));
  admissionPasses.set(next);
}

/** The signed-in fan's pass for a drop, while it is valid. */
export function passFor(dropId: string, now = Date.now()): AdmissionPass | null {
  const fan = currentFan.value?.name;
  return admissionPasses.value.find((pass) => pass.dropId === dropId && pass.fan === fan && Date.parse(pass.expiresAt) > now) ?? null;
}

const holdPath = /^\/api\/tickets\/concerts\/([0-9a-fA-F-]{36})\/holds$/;

/** The X-Admission-Pass header for a call: a hold sends the concert's pass, a checkout every valid pass of the fan. */
export function admissionHeaders(method: string, path: string): Record<string, string> {
  if (method !== "POST") return {};
  const hold = holdPath.exec(path);
  if (hold) {
    const pass = passFor(hold[1]);
    return pass ? { "X-Admission-Pass": pass.pass } : {};
  }
  if (path === "/api/orders") {
    const fan = currentFan.value?.name;
    const valid = admissionPasses.value.filter((pass) => pass.fan === fan && Date.parse(pass.expiresAt) > Date.now());
    return valid.length ? { "X-Admission-Pass": valid.map((pass) => pass.pass).join(", ") } : {};
  }
  return {};
}
