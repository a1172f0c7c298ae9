// Merch drops beyond the plain product: a product's versions, pictures and random cards (in the Catalog's product),
// and its lucky draw (in the Queue service).
import { ApiError, call } from "../api";

export interface Variant { code: string; sku: string; name: string; stock: number; available: number; soldOut: boolean }
export interface ImageRef { id: string; variant?: string | null; url: string }
export interface Inclusion { name: string; left: number; items: { code: string; name: string; count: number; left: number }[] }
export interface DrawnInclusion { productId: string; variant?: string | null; pool: string; item: string; itemName: string }

export interface LuckyDraw {
  drawId: string; productId: string; title: string; opensAt: string; closesAt: string; winners: number; claimMinutes: number;
  membersOnly: boolean; status: "open" | "drawn"; commitment: string; algorithm: string; algorithmText: string; seed?: string | null;
  drawnAt?: string | null; entries: number;
}

export interface DrawEntry {
  drawId: string; productId: string; entryId: string; enteredAt: string; result: "entered" | "won" | "claimed" | "lapsed" | "waiting";
  rank?: number | null; waitingPlace?: number | null; purchasePass?: string | null; purchaseBy?: string | null;
}

/** A picture's address at a width the Catalog serves (rounded up there), twice as wide on sharp screens. */
export function pictureUrl(image: ImageRef, width: number): string {
  return `${image.url}?width=${Math.round(width * Math.min(2, window.devicePixelRatio || 1))}`;
}

export const drawApi = {
  forProduct: async (productId: string) => (await call<LuckyDraw[]>("GET", `/api/queue/lucky-draws?productId=${productId}`))[0] ?? null,
  enter: (drawId: string) => call<DrawEntry>("POST", `/api/queue/lucky-draws/${drawId}/entries`),
  mine: async (drawId: string) => {
    try {
      return await call<DrawEntry>("GET", `/api/queue/lucky-draws/${drawId}/entries/mine`);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) return null;
      throw failure;
    }
  },
};
