import { Navigate, Route, Routes } from "react-router";
import { CHANGE_PASSWORD_PATH, RequireAuth, RequireRole } from "./auth/guards";
import { AccountPage } from "./features/account/AccountPage";
import { ChangePasswordPage } from "./features/account/ChangePasswordPage";
import { AttendancePage } from "./features/attendance/AttendancePage";
import { ControlPanelPage } from "./features/control/ControlPanelPage";
import { CourseDetailPage } from "./features/courses/CourseDetailPage";
import { CoursesPage } from "./features/courses/CoursesPage";
import { DashboardPage } from "./features/dashboard/DashboardPage";
import { GradeEntryPage } from "./features/grades/GradeEntryPage";
import { LoginPage } from "./features/auth/LoginPage";
import { NotFoundPage } from "./features/auth/NotFoundPage";
import { StudentDetailPage } from "./features/students/StudentDetailPage";
import { StudentEditPage } from "./features/students/StudentEditPage";
import { StudentsPage } from "./features/students/StudentsPage";
import { AppShell } from "./layout/AppShell";

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        }
      >
        <Route index element={<DashboardPage />} />
        <Route path="students" element={<StudentsPage />} />
        <Route path="students/new" element={<StudentEditPage />} />
        <Route path="students/:id" element={<StudentDetailPage />} />
        <Route path="students/:id/edit" element={<StudentEditPage />} />
        <Route path="courses" element={<CoursesPage />} />
        <Route path="courses/new" element={<CourseDetailPage />} />
        <Route path="courses/:id" element={<CourseDetailPage />} />
        <Route path="attendance" element={<AttendancePage />} />
        <Route path="grades" element={<GradeEntryPage />} />
        <Route path="account" element={<AccountPage />} />
        <Route path={CHANGE_PASSWORD_PATH.slice(1)} element={<ChangePasswordPage />} />
        <Route path="control" element={<Navigate to="/control/health" replace />} />
        <Route
          path="control/:tab"
          element={
            <RequireRole roles={["admin"]}>
              <ControlPanelPage />
            </RequireRole>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
