import { Navigate, Route, Routes } from "react-router";
import { CHANGE_PASSWORD_PATH, RequireAuth, RequireRole } from "./auth/guards";
import { rolesFor } from "./auth/permissions";
import { AccountPage } from "./features/account/AccountPage";
import { ChangePasswordPage } from "./features/account/ChangePasswordPage";
import { AttendancePage } from "./features/attendance/AttendancePage";
import { ControlPanelPage } from "./features/control/ControlPanelPage";
import { CourseDetailPage } from "./features/courses/CourseDetailPage";
import { CoursesPage } from "./features/courses/CoursesPage";
import { HomePage } from "./features/classes/HomePage";
import { MyClassesPage } from "./features/classes/MyClassesPage";
import { AtRiskPage } from "./features/dashboard/AtRiskPage";
import { DashboardPage } from "./features/dashboard/DashboardPage";
import { GradeEntryPage } from "./features/grades/GradeEntryPage";
import { HighlightsPage } from "./features/highlights/HighlightsPage";
import { PerformancePage } from "./features/performance/PerformancePage";
import { LoginPage } from "./features/auth/LoginPage";
import { ReadOnlyProvider } from "./features/maintenance/ReadOnlyProvider";
import { NotFoundPage } from "./features/auth/NotFoundPage";
import { StudentDetailPage } from "./features/students/StudentDetailPage";
import { StudentEditPage } from "./features/students/StudentEditPage";
import { StudentsPage } from "./features/students/StudentsPage";
import { TermsPage } from "./features/terms/TermsPage";
import { TrashPage } from "./features/trash/TrashPage";
import { AdminLayout } from "./features/users/AdminLayout";
import { UserEditPage } from "./features/users/UserEditPage";
import { UsersPage } from "./features/users/UsersPage";
import { AppShell } from "./layout/AppShell";

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <ReadOnlyProvider>
              <AppShell />
            </ReadOnlyProvider>
          </RequireAuth>
        }
      >
        <Route index element={<HomePage />} />
        <Route path="dashboard" element={<DashboardPage />} />
        <Route path="dashboard/at-risk" element={<AtRiskPage />} />
        <Route path="classes" element={<MyClassesPage />} />
        <Route path="students" element={<StudentsPage />} />
        <Route
          path="students/new"
          element={
            <RequireRole roles={rolesFor("students.write")}>
              <StudentEditPage />
            </RequireRole>
          }
        />
        <Route path="students/:id" element={<StudentDetailPage />} />
        <Route
          path="students/:id/edit"
          element={
            <RequireRole roles={rolesFor("students.write")}>
              <StudentEditPage />
            </RequireRole>
          }
        />
        <Route path="courses" element={<CoursesPage />} />
        <Route path="courses/new" element={<CourseDetailPage />} />
        <Route path="courses/:id" element={<CourseDetailPage />} />
        <Route path="attendance" element={<AttendancePage />} />
        <Route path="grades" element={<GradeEntryPage />} />
        <Route path="performance" element={<PerformancePage />} />
        <Route path="highlights" element={<HighlightsPage />} />
        <Route path="account" element={<AccountPage />} />
        <Route path={CHANGE_PASSWORD_PATH.slice(1)} element={<ChangePasswordPage />} />
        <Route path="admin" element={<AdminLayout />}>
          <Route index element={<Navigate to="/admin/users" replace />} />
          <Route path="users" element={<UsersPage />} />
          <Route path="users/new" element={<UserEditPage />} />
          <Route path="users/:id" element={<UserEditPage />} />
          <Route path="terms" element={<TermsPage />} />
          <Route path="trash" element={<Navigate to="/admin/trash/student" replace />} />
          <Route path="trash/:kind" element={<TrashPage />} />
        </Route>
        <Route path="control" element={<Navigate to="/control/health" replace />} />
        <Route
          path="control/:tab"
          element={
            <RequireRole roles={rolesFor("control.view")}>
              <ControlPanelPage />
            </RequireRole>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
