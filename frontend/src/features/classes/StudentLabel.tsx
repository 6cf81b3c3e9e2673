import { Link } from "react-router";
import { useStudent } from "../students/api";
import { listName } from "../students/names";

/**
 * A student named by id, as a link to their page: rows that carry only a student id (scores,
 * highlights) read the name from the cached record, one request per student however many rows.
 */
export function StudentLabel({ id }: { id: number }) {
  const student = useStudent(id);
  return (
    <Link to={`/students/${id}`}>
      {student.data ? listName(student.data) : `#${id}`}
      {student.data && <span className="muted mono"> {student.data.student_id}</span>}
    </Link>
  );
}
