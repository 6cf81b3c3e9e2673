/** One page of a list answer (the API's Page[...] shape). */
interface Page<Row> {
  items: Row[];
  total: number;
}

/** The API's largest page (backend/api/pagination.py MAX_LIMIT). */
export const PAGE_LIMIT = 500;

/**
 * Every row of a paged list, page by page: a class's sheet must hold all of its students and grades,
 * however many. `fetchPage` gets the offset to ask for and the page size.
 */
export async function allPages<Row>(
  fetchPage: (offset: number, limit: number) => Promise<Page<Row>>,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (let offset = 0; ; offset += PAGE_LIMIT) {
    const page = await fetchPage(offset, PAGE_LIMIT);
    rows.push(...page.items);
    if (page.items.length === 0 || offset + PAGE_LIMIT >= page.total) return rows;
  }
}
