export { sampleDataSet, samplePhones } from './sample-data.js';
