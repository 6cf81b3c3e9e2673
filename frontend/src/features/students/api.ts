import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { useSaveRecord } from "../../api/useSaveRecord";
import type { components } from "../../api/schema";
import type { ListParams } from "../../lib/useListParams";
import { attendanceKeys } from "../attendance/queryKeys";
import { dashboardKeys } from "../dashboard/queryKeys";
import { gradeKeys } from "../grades/queryKeys";
import { enrollmentKeys, studentKeys } from "./queryKeys";

export type Student = components["schemas"]["StudentRead"];
export type StudentCreate = components["schemas"]["StudentCreate"];
export type StudentUpdate = components["schemas"]["StudentUpdate"];
export type Enrollment = components["schemas"]["EnrollmentRead"];
export type Grade = components["schemas"]["GradeRead"];
export type FinalGrade = components["schemas"]["FinalGrade"];
export type AttendanceSummary = components["schemas"]["AttendanceSummary"];

export interface StudentListParams extends ListParams {
  is_active?: boolean;
}

export function useStudents(params: StudentListParams) {
  return useQuery({
    queryKey: studentKeys.list(params),
    queryFn: () => unwrap(api.GET("/api/v1/students", { params: { query: params } })),
    placeholderData: keepPreviousData,
  });
}

export function useStudent(id: number | null) {
  return useQuery({
    queryKey: studentKeys.detail(id ?? 0),
    queryFn: () =>
      unwrap(api.GET("/api/v1/students/{student_id}", { params: { path: { student_id: id ?? 0 } } })),
    enabled: id !== null,
  });
}

export function useSaveStudent(id: number | null) {
  return useSaveRecord({
    id,
    create: (body: StudentCreate) => unwrap(api.POST("/api/v1/students", { body })),
    update: (studentId, body) =>
      unwrap(
        api.PATCH("/api/v1/students/{student_id}", { params: { path: { student_id: studentId } }, body }),
      ),
    detailKey: studentKeys.detail,
    refresh: [studentKeys.lists(), dashboardKeys.all],
  });
}

export function useDeleteStudent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(api.DELETE("/api/v1/students/{student_id}", { params: { path: { student_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: studentKeys.all }),
  });
}

export function useStudentEnrollments(studentId: number) {
  return useQuery({
    queryKey: enrollmentKeys.ofStudent(studentId),
    queryFn: () =>
      unwrap(api.GET("/api/v1/enrollments", { params: { query: { student_id: studentId, limit: 500 } } })),
  });
}

export function useEnroll(studentId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (courseId: number) =>
      unwrap(
        api.POST("/api/v1/enrollments", {
          body: { student_id: studentId, course_id: courseId, status: "active" },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: enrollmentKeys.all }),
  });
}

export function useStudentGrades(studentId: number) {
  return useQuery({
    queryKey: gradeKeys.ofStudent(studentId),
    queryFn: () =>
      unwrap(api.GET("/api/v1/grades", { params: { query: { student_id: studentId, limit: 500 } } })),
  });
}

export function useFinalGrade(studentId: number, courseId: number) {
  return useQuery({
    queryKey: gradeKeys.finalGrade(studentId, courseId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/students/{student_id}/courses/{course_id}/final-grade", {
          params: { path: { student_id: studentId, course_id: courseId } },
        }),
      ),
  });
}

export function useAttendanceSummary(studentId: number, courseId: number) {
  return useQuery({
    queryKey: attendanceKeys.summary(studentId, courseId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/attendance/summary", {
          params: { query: { student_id: studentId, course_id: courseId } },
        }),
      ),
  });
}
