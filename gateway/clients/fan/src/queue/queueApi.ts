// The waiting room's API as the fan app uses it: join, the fan's place, and its live stream (Server-Sent Events read
// with fetch, since EventSource cannot send the bearer token).
import { ApiError, call } from "../api";
import { session } from "../session";

export interface WaitingRoomSettings { opensAt: string; admissionsPerMinute: number; maxActive?: number | null; passMinutes: number }

export type EntryStatus = "waiting" | "admitted" | "expired" | "sold_out" | "closed";

export interface QueueEntry {
  entryId: string; dropId: string; status: EntryStatus; position: number | null; aheadOfYou: number | null;
  estimatedWaitSeconds: number | null; admissionPass?: string | null; passExpiresAt?: string | null; kind: string;
  room: string; joinedAt: string; drawAt: string; queueLength: number; paused: boolean;
}

export const queueApi = {
  join: (dropId: string, membershipCode?: string) =>
    call<QueueEntry>("POST", `/api/queue/${dropId}/entries`, membershipCode ? { membershipCode } : {}),
  mine: (dropId: string) => call<QueueEntry>("GET", `/api/queue/${dropId}/entries/mine`),
};

/**
 * Follows the fan's place: the server's stream while it is open, and a poll every 3 s when it is not (a proxy that
 * buffers, a dropped connection), with the stream tried again after a pause. Returns a function that stops it.
 */
export function followEntry(dropId: string, onEntry: (entry: QueueEntry) => void, onError: (error: ApiError) => void): () => void {
  let stopped = false;
  const controller = new AbortController();

  async function stream(): Promise<boolean> {
    const token = session.token();
    const response = await fetch(`/api/queue/${dropId}/entries/mine/stream`, {
      headers: { Accept: "text/event-stream", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      signal: controller.signal,
    });
    if (!response.ok || !response.body) return false;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    while (!stopped) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5).trim()).join("\n");
        if (data) onEntry(JSON.parse(data) as QueueEntry);
      }
    }
    return true;
  }

  async function run() {
    while (!stopped) {
      try {
        await stream();
      } catch {
        // the stream broke: poll below, then try again
      }
      for (let i = 0; i < 3 && !stopped; i++) {
        try {
          onEntry(await queueApi.mine(dropId));
        } catch (error) {
          if (error instanceof ApiError) onError(error);
        }
        await new Promise((resolve) => window.setTimeout(resolve, 3000));
      }
    }
  }

  void run();
  return () => {
    stopped = true;
    controller.abort();
  };
}
