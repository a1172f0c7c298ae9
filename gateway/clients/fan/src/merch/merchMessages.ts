// The fan app's words for merch drops (versions, pictures, random cards and lucky draws), read from the fan's
// language catalog (src/i18n/messages, keys "merchDrop.*") at render.
import { currentLocale, t } from "../i18n/i18n";

export const merchMessages = {
  get chooseVersion() { return t("merchDrop.chooseVersion"); },
  versionLeft: (name: string, left: number) => t("merchDrop.versionLeft", { name, left }),
  pictureOf: (name: string) => t("merchDrop.pictureOf", { name }),
  showPicture: (n: number) => t("merchDrop.showPicture", { n }),
  // A pool's name is written as its operator gave it; English runs it into the sentence in lower case ("1 random photocard").
  inclusion: (pool: string, items: number) =>
    t("merchDrop.inclusion", { pool: currentLocale.value === "en" ? pool.toLowerCase() : pool, items }),
  cardsLeft: (left: number) => t("merchDrop.cardsLeft", { left }),
  bundle: (parts: number) => t("merchDrop.bundle", { parts }),
  get drawTitle() { return t("merchDrop.drawTitle"); },
  get drawIntro() { return t("merchDrop.drawIntro"); },
  drawWindow: (opens: string, closes: string) => t("merchDrop.drawWindow", { opens, closes }),
  get drawCommitment() { return t("merchDrop.drawCommitment"); },
  get drawSeed() { return t("merchDrop.drawSeed"); },
  get drawVerify() { return t("merchDrop.drawVerify"); },
  get enter() { return t("merchDrop.enter"); },
  get entering() { return t("merchDrop.entering"); },
  get noDraw() { return t("merchDrop.noDraw"); },
  get membersOnly() { return t("merchDrop.membersOnly"); },
  drawNotOpen: (when: string) => t("merchDrop.drawNotOpen", { when }),
  get drawClosed() { return t("merchDrop.drawClosed"); },
  get entered() { return t("merchDrop.entered"); },
  won: (until: string) => t("merchDrop.won", { until }),
  get claimed() { return t("merchDrop.claimed"); },
  get lapsed() { return t("merchDrop.lapsed"); },
  waiting: (place: number) => t("merchDrop.waiting", { place }),
  drawnCard: (pool: string, item: string) => t("merchDrop.drawnCard", { pool, item }),
  get drawnCardsTitle() { return t("merchDrop.drawnCardsTitle"); },
  get mustWin() { return t("merchDrop.mustWin"); },
};
