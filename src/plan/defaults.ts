/**
 * The planner's defaults, in a module of their own so that the CLI can show them in its help
 * without loading the planner (and the config catalogs it needs) at start.
 */

/** The ACL-deletion limit when none is given: large enough for routine revocations. */
export const DEFAULT_MAX_ACL_DELETES = 50;
