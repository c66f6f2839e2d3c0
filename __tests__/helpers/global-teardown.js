// The UI tests save screenshots of the page for a person to look at: say where.
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

module.exports = () => {
  const dir = join(__dirname, '..', '..', 'build', 'ui-screenshots');
  const shots = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.png')) : [];
  if (shots.length > 0) process.stdout.write(`\nScreenshots of funes ui (${shots.join(', ')}): ${dir}\n`);
};
