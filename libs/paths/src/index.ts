export { projectPath } from './project-path.js';
