import { useAuth } from "../../auth/AuthProvider";
import { DashboardPage } from "../dashboard/DashboardPage";
import { MyClassesPage } from "./MyClassesPage";

/** The first page after login: a teacher starts from their classes, everyone else from the dashboard. */
export function HomePage() {
  const { user } = useAuth();
  return user?.role === "teacher" ? <MyClassesPage /> : <DashboardPage />;
}
