import { withUser } from "@/lib/api/with-user";

/** The signed-in user's own profile, as the portal sees it. */
export const GET = withUser(
  async ({ user }) => ({
    id: user.id,
    email: user.email,
    name: user.name,
    department: user.department,
    project: user.project,
    role: user.role,
  }),
  { permission: "catalog:read" },
);
