import { useAuth, type Me } from "../../auth/AuthProvider";
import { can } from "../../auth/permissions";
import type { Course } from "../courses/api";

/**
 * Whether a user may write a course's class records (attendance, grades, daily scores): admins
 * always, teachers for their own classes, viewers never. The API enforces the same rule
 * (403 not_your_course); this only keeps the web app from offering what would be refused.
 */
export function mayTeach(user: Me | null, course: Course | null | undefined): boolean {
  if (!user || !course || !can(user, "marks.write")) return false;
  return user.role === "admin" || teachesCourse(user.id, course);
}

/** `mayTeach` for the signed-in user. */
export function useMayTeach(course: Course | null | undefined): boolean {
  return mayTeach(useAuth().user, course);
}

/** Whether the signed-in user may record notes about students that belong to no course (highlights). */
export function useMayRecord(): boolean {
  return can(useAuth().user, "marks.write");
}

function teachesCourse(userId: number, course: { teachers: { id: number }[] }): boolean {
  return course.teachers.some((teacher) => teacher.id === userId);
}
