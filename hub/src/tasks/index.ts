export { tasksEntities, TERMINAL_STATES, type TaskRow, type TaskStateName } from './entities.js';
export { tasksMigrations } from './migrations.js';
export { TasksRepository, type TaskEventInsert } from './repository.js';
export { TasksService, taskView, createTaskSchema, type Delivery, type TaskView } from './service.js';
export { etaFromProgress, foldTaskEvents, type TaskFoldEvent, type TaskFoldState } from './fold.js';
export { signTask, encodeTask } from './signing.js';
export { tasksRouter } from './routes.js';
