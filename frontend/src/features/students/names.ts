/** A student as lists and sheets name them: "Last, First", which sorts by family name. */
export function listName(student: { first_name: string; last_name: string }): string {
  return `${student.last_name}, ${student.first_name}`;
}
