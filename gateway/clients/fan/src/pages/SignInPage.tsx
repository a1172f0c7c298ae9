import { useState } from "preact/hooks";
import { api, errorText } from "../api";
import { Notice } from "../components/common";
import { t } from "../i18n/i18n";
import { navigate } from "../router";
import { session } from "../session";

export function SignInPage() {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const back = new URLSearchParams(window.location.search).get("next");

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const token = await api.token(name.trim());
      session.signIn(name.trim(), token.accessToken, token.expiresIn);
      navigate(back && back.startsWith("/") && !back.startsWith("//") ? back : "/");
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="narrow">
      <h1>{t("signIn.title")}</h1>
      <p>{t("signIn.intro")}</p>
      <form onSubmit={submit} class="stack">
        <label for="fan-name">{t("signIn.nameLabel")}</label>
        <input id="fan-name" name="name" autoComplete="username" required maxLength={100} value={name}
          aria-describedby="fan-name-hint" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        <small id="fan-name-hint">{t("signIn.nameHint")}</small>
        {error && <Notice kind="error">{error}</Notice>}
        <button type="submit" class="button" data-testid="sign-in" disabled={busy}>{t("signIn.submit")}</button>
      </form>
    </section>
  );
}

/** Shown instead of a page that needs a signed-in fan. */
export function SignInNeeded() {
  const next = encodeURIComponent(window.location.pathname);
  return (
    <Notice kind="info">
      {t("signIn.needed")}{" "}
      <a href={`/signin?next=${next}`} onClick={(e) => { e.preventDefault(); navigate(`/signin?next=${next}`); }}>{t("signIn.link")}</a>
    </Notice>
  );
}
