/** Every role a broker user can have (ARCHITECTURE.md, "Roles"). */
export const ROLES = ['device', 'ingest', 'organiser', 'public'] as const;

/**
 * A user's role: `device` (a box; its username is its device slug), `ingest` (the ingest service),
 * `organiser` (everything of the event), `public` (read-only; also anonymous clients when enabled).
 */
export type Role = (typeof ROLES)[number];

/** True when `value` names a role. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
