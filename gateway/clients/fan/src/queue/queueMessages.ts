// The waiting room's texts, read from the fan's language catalog (src/i18n/messages, keys "queue.*") at render.
import { t } from "../i18n/i18n";

export const queueMessages = {
  get title() { return t("queue.title"); },
  intro: (title: string) => t("queue.intro", { title }),
  get howItWorks() { return t("queue.howItWorks"); },
  get join() { return t("queue.join"); },
  get joining() { return t("queue.joining"); },
  notOpenYet: (when: string) => t("queue.notOpenYet", { when }),
  drawAt: (when: string) => t("queue.drawAt", { when }),
  drawIn: (countdown: string) => t("queue.drawIn", { countdown }),
  get inRoom() { return t("queue.inRoom"); },
  queueLength: (count: number) => t("queue.queueLength", { count }),
  get yourPlace() { return t("queue.yourPlace"); },
  place: (position: number) => t("queue.place", { position }),
  ahead: (count: number) => t("queue.ahead", { count }),
  estimatedWait: (wait: string) => t("queue.estimatedWait", { wait }),
  waitText: (seconds: number) =>
    seconds < 60 ? t("queue.waitUnderMinute")
      : seconds < 3600 ? t("queue.waitMinutes", { minutes: Math.round(seconds / 60) })
        : t("queue.waitHours", { hours: Math.floor(seconds / 3600), minutes: Math.round((seconds % 3600) / 60) }),
  get progressLabel() { return t("queue.progressLabel"); },
  get keepOpen() { return t("queue.keepOpen"); },
  get paused() { return t("queue.paused"); },
  get admitted() { return t("queue.admitted"); },
  passLeft: (countdown: string) => t("queue.passLeft", { countdown }),
  passBanner: (countdown: string) => t("queue.passBanner", { countdown }),
  get soldOut() { return t("queue.soldOut"); },
  get closed() { return t("reason.closed"); },
  get expired() { return t("queue.expired"); },
  get membersOnly() { return t("reason.members_only"); },
  get codeLabel() { return t("queue.codeLabel"); },
  room: (room: string) => t(room === "presale" ? "queue.room.presale" : "queue.room.general"),
  entryId: (id: string) => t("queue.entryId", { id }),
  get verify() { return t("queue.verify"); },
  get otherDrops() { return t("queue.otherDrops"); },
  get howTitle() { return t("queue.howTitle"); },
  factDraw: (when: string) => t("queue.factDraw", { when }),
  factRate: (count: number) => t("queue.factRate", { count }),
  factPass: (minutes: number) => t("queue.factPass", { minutes }),
  get factOnePlace() { return t("queue.factOnePlace"); },
  get factVerify() { return t("queue.factVerify"); },
};
