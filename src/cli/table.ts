import Table from 'cli-table3';

/** A plain table: no colour codes, since output is as often piped as read. */
export function table(head: string[], rows: string[][]): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  t.push(...rows);
  return t.toString();
}
