/** What a person reads when something did not work: the callable's code and message, no stack. */
export function errorText(error: unknown): string {
  if (error && typeof error === "object") {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const text = typeof message === "string" ? message : JSON.stringify(error);
    if (typeof code === "string") return `${code.replace(/^(functions|auth)\//, "")}: ${text.replace(/^Firebase: /, "")}`;
    return text;
  }
  return String(error);
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code.replace(/^(functions|auth)\//, "") : undefined;
}
