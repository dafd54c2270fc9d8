// The public home of the rule docs; the same pages ship inside the extension under docs/.
export const REPOSITORY_URL = 'https://github.com/resilint/resilint';

export function docsUrl(ruleId: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${ruleId}.md`;
}
