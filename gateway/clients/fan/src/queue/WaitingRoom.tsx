import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api";
import { Link, Notice, useNow } from "../components/common";
import { ProgressBar } from "../design/ui";
import { formatCountdown, formatTime } from "../format";
import { SignInNeeded } from "../pages/SignInPage";
import { currentFan } from "../session";
import { useSignal } from "../signal";
import { savePass } from "./admission";
import { followEntry, queueApi, type QueueEntry, type WaitingRoomSettings } from "./queueApi";
import { queueMessages as m } from "./queueMessages";
import "./waitingRoom.css";

interface Props {
  dropId: string;
  title: string;
  saleOpensAt: string;
  settings: WaitingRoomSettings;
}

/**
 * The waiting room of a drop: join, then the fan's place, the fans ahead, the estimated wait and a progress bar,
 * live from the server's stream. When the fan is let in, the pass is kept and the page behind opens by itself.
 */
export function WaitingRoom({ dropId, title, saleOpensAt, settings }: Props) {
  const fan = useSignal(currentFan);
  const [entry, setEntry] = useState<QueueEntry | null>(null);
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [membersOnly, setMembersOnly] = useState(false);
  const [code, setCode] = useState("");
  const firstPosition = useRef<number | null>(null);
  const now = useNow();

  // Already in the line (a reload, another tab)? Then follow the place at once.
  useEffect(() => {
    if (!fan) return;
    let cancelled = false;
    queueApi.mine(dropId).then(
      (found) => { if (!cancelled) { setEntry(found); setChecked(true); } },
      () => { if (!cancelled) setChecked(true); },
    );
    return () => { cancelled = true; };
  }, [dropId, fan?.name]);

  const joined = entry !== null;
  useEffect(() => {
    if (!joined) return;
    return followEntry(dropId, setEntry, (failure) => setError(failure.message));
  }, [dropId, joined]);

  useEffect(() => {
    if (entry?.status === "admitted" && entry.admissionPass && entry.passExpiresAt) {
      savePass(dropId, entry.admissionPass, entry.passExpiresAt);
    }
    if (entry?.position && (firstPosition.current === null || entry.position > firstPosition.current)) {
      firstPosition.current = entry.position;
    }
  }, [entry]);

  async function join(event?: Event) {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setEntry(await queueApi.join(dropId, code.trim() || undefined));
      setMembersOnly(false);
    } catch (failure) {
      const problem = failure instanceof ApiError ? failure.problem : null;
      if (problem?.reason === "members_only") {
        setMembersOnly(true);
        setError(m.membersOnly);
      } else if (problem?.reason === "not_open" && typeof problem.opensAt === "string") {
        setError(m.notOpenYet(formatTime(problem.opensAt)));
      } else {
        setError(failure instanceof ApiError ? failure.message : String(failure));
      }
    } finally {
      setBusy(false);
    }
  }

  const drawIn = entry ? Date.parse(entry.drawAt) - now : Date.parse(saleOpensAt) - now;
  const roomOpensIn = Date.parse(settings.opensAt) - now;

  return (
    <section class="waiting-room" aria-labelledby="waiting-room-title" data-testid="waiting-room" data-status={entry?.status ?? "not-joined"}>
      <p class="eyebrow">{entry ? m.room(entry.room) : m.title}</p>
      <h1 id="waiting-room-title">{title}</h1>
      <p>{m.intro(title)}</p>
      {!fan && <SignInNeeded />}
      {fan && checked && !entry && (
        <div class="panel">
          <p>{m.howItWorks}</p>
          <p class="muted">{m.drawAt(formatTime(saleOpensAt))}</p>
          {roomOpensIn > 0 && <Notice kind="info">{m.notOpenYet(formatTime(settings.opensAt))}</Notice>}
          <form class="inline-form" onSubmit={join}>
            {membersOnly && (
              <label>
                {m.codeLabel}
                <input value={code} onInput={(e) => setCode((e.target as HTMLInputElement).value)} autocomplete="off" maxLength={64} />
              </label>
            )}
            <button class="button" type="submit" data-testid="queue-join" disabled={busy}>{busy ? m.joining : m.join}</button>
          </form>
        </div>
      )}
      <div class="queue-layout">
        <div>
          {error && <Notice kind="error" testId="queue-error">{error}</Notice>}
          {entry && <Place entry={entry} drawIn={drawIn} now={now} firstPosition={firstPosition.current} />}
          {entry && (entry.status === "sold_out" || entry.status === "closed") && <Link href="/">{m.otherDrops}</Link>}
        </div>
        <aside class="panel queue-how" aria-labelledby="queue-how-title">
          <h2 id="queue-how-title">{m.howTitle}</h2>
          <ul class="facts">
            <li>{m.factDraw(formatTime(entry?.drawAt ?? saleOpensAt))}</li>
            <li>{m.factRate(settings.admissionsPerMinute)}</li>
            <li>{m.factPass(settings.passMinutes)}</li>
            <li>{m.factOnePlace}</li>
          </ul>
          <p class="muted">{m.factVerify} <a href={`/api/queue/${dropId}/draw`} target="_blank" rel="noopener">{m.verify}</a></p>
        </aside>
      </div>
    </section>
  );
}

function Place({ entry, drawIn, now, firstPosition }: { entry: QueueEntry; drawIn: number; now: number; firstPosition: number | null }) {
  switch (entry.status) {
    case "admitted":
      return (
        <div class="queue-card queue-admitted" role="status">
          <p class="queue-big">{m.admitted}</p>
          {entry.passExpiresAt && <p>{m.passLeft(formatCountdown(Date.parse(entry.passExpiresAt) - now))}</p>}
        </div>
      );
    case "sold_out":
      return <Notice kind="error" testId="queue-sold-out">{m.soldOut}</Notice>;
    case "closed":
      return <Notice kind="info" testId="queue-closed">{m.closed}</Notice>;
    case "expired":
      return <Notice kind="info" testId="queue-expired">{m.expired}</Notice>;
  }

  if (entry.position === null) {
    return (
      <div class="queue-card" data-testid="queue-before-draw">
        <p class="queue-big">{m.inRoom}</p>
        <p>{m.drawAt(formatTime(entry.drawAt))}</p>
        <p class="countdown" aria-live="off">{m.drawIn(formatCountdown(drawIn))}</p>
        <p class="muted">{m.queueLength(entry.queueLength)}</p>
        <p class="muted">{m.keepOpen}</p>
      </div>
    );
  }

  const start = Math.max(firstPosition ?? entry.position, entry.position);
  const progress = start <= 1 ? 100 : Math.round(((start - entry.position) / (start - 1)) * 100);
  return (
    <div class="queue-card" data-testid="queue-place">
      <p class="muted">{m.yourPlace}</p>
      <p class="queue-big" data-testid="queue-position">{m.place(entry.position)}</p>
      <p data-testid="queue-ahead">{m.ahead(entry.aheadOfYou ?? 0)}</p>
      {entry.estimatedWaitSeconds !== null && <p data-testid="queue-wait">{m.estimatedWait(m.waitText(entry.estimatedWaitSeconds))}</p>}
      <ProgressBar percent={progress} label={m.progressLabel} />
      {entry.paused && <Notice kind="info">{m.paused}</Notice>}
      <p class="muted">{m.keepOpen}</p>
      <p class="muted small">{m.entryId(entry.entryId)}</p>
    </div>
  );
}
