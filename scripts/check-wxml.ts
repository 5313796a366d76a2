import { checkTemplates } from './wxml';

/** `npm run check:wxml [dir]`: compile the mini-program's templates with WeChat's compilers. */
const errors = checkTemplates(process.argv[2]);
for (const error of errors) console.error(error);
console.log(errors.length ? `${errors.length} template file(s) failed to compile` : 'all WXML/WXSS compile');
process.exit(errors.length ? 1 : 0);
