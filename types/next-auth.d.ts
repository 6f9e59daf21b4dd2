import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string | null; role: "USER" | "ADMIN" };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    userId: string;
    role: "USER" | "ADMIN";
    idToken?: string;
  }
}
