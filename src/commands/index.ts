/** The commands, as functions the CLI and the GitHub Action both call. */
export { validate, type ValidateOptions } from './validate.js';
export { plan, renderPlan, type PlanCommandOptions } from './plan.js';
export { apply, type ApplyOptions } from './apply.js';
export { drift, type DriftOptions } from './drift.js';
export { exportCommand, exportManifest, exportSnapshot, type ExportOptions } from './export.js';
export { EXPORT_FORMATS, OUTPUT_FORMATS, VALIDATE_FORMATS, type ExportFormat, type Io, type OutputFormat, type ValidateFormat, type Writer } from './io.js';
