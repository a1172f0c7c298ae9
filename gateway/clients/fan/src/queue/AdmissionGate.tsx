import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { useNow } from "../components/common";
import { formatCountdown, localName } from "../format";
import { currentFan } from "../session";
import { useSignal } from "../signal";
import { admissionPasses, passFor } from "./admission";
import type { WaitingRoomSettings } from "./queueApi";
import { queueMessages as m } from "./queueMessages";
import { WaitingRoom } from "./WaitingRoom";
import { prefetchSeats } from "../liveSeats";

interface Drop { title: string; saleOpensAt: string; waitingRoom: WaitingRoomSettings | null }

/**
 * Puts a drop's waiting room in front of its page: a concert or product without one shows its page as before; with
 * one, the fan sees the waiting room until they are let in, then the page with the time their pass has left.
 */
export function AdmissionGate({ kind, id, children }: { kind: "concert" | "product"; id: string; children: ComponentChildren }) {
  const [drop, setDrop] = useState<Drop | null | undefined>(undefined);
  useSignal(admissionPasses);
  useSignal(currentFan);
  const now = useNow();

  useEffect(() => {
    setDrop(undefined);
    if (kind === "concert") prefetchSeats(id);
    const load = kind === "concert"
      ? api.concert(id).then((c) => ({ title: localName(c.names?.title, c.title), saleOpensAt: c.saleOpensAt, waitingRoom: (c as { waitingRoom?: WaitingRoomSettings | null }).waitingRoom ?? null }))
      : api.product(id).then((p) => ({ title: localName(p.names?.name, p.name), saleOpensAt: p.releaseAt ?? new Date().toISOString(), waitingRoom: (p as { waitingRoom?: WaitingRoomSettings | null }).waitingRoom ?? null }));
    load.then(setDrop, () => setDrop(null)); // a failure: the page itself says what went wrong
  }, [kind, id]);

  if (drop === undefined) return null;
  if (drop === null || drop.waitingRoom === null) return <>{children}</>;

  const pass = passFor(id, now);
  if (!pass) return <WaitingRoom dropId={id} title={drop.title} saleOpensAt={drop.saleOpensAt} settings={drop.waitingRoom} />;
  return (
    <>
      <p class="pass-banner" role="status" data-testid="pass-banner">{m.passBanner(formatCountdown(Date.parse(pass.expiresAt) - now))}</p>
      {children}
    </>
  );
}
