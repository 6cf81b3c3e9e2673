import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { courseKeys } from "./queryKeys";

/** Replace a course's teachers (admins); the course's cached copy then shows the new names. */
export function useSetCourseTeachers() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ courseId, userIds }: { courseId: number; userIds: number[] }) =>
      unwrap(
        api.PUT("/api/v1/courses/{course_id}/teachers", {
          params: { path: { course_id: courseId } },
          body: { user_ids: userIds },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: courseKeys.all }),
  });
}
