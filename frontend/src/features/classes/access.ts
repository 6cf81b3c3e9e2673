import { useAuth } from "../../auth/AuthProvider";
import type { Course } from "../courses/api";

/**
 * Whether the signed-in user may write a course's class records (attendance, grades, daily scores):
 * admins always, teachers for their own classes, viewers never. The API enforces the same rule
 * (403 not_your_course); this only keeps the web app from offering what would be refused.
 */
export function useMayTeach(course: Course | null | undefined): boolean {
  const { user } = useAuth();
  if (!user || !course) return false;
  if (user.role === "admin") return true;
  if (user.role !== "teacher") return false;
  return teachesCourse(user.id, course);
}

/** A course lists its teachers once the API names them; before that every teacher may write. */
function teachesCourse(userId: number, course: Course): boolean {
  const teachers = (course as { teachers?: { id: number }[] }).teachers;
  return teachers === undefined || teachers.some((teacher) => teacher.id === userId);
}
