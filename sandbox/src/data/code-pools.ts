/**
 * Value pools the generator draws codes from. Pairs marked "samples" are code/display pairs that occur in
 * the CMS reference responses (templates/SOURCES.md); the others are standard public code values
 * (ICD-10-CM, HCPCS/CPT, revenue centre codes, USPS states and ZIP prefixes) with short descriptions
 * written for this project. Codes are written without dots, as BFD writes them.
 */

export type CodeWithDisplay = readonly [code: string, display: string];

export const ICD10_DIAGNOSES: readonly CodeWithDisplay[] = [
  ['I10', 'ESSENTIAL (PRIMARY) HYPERTENSION'],
  ['E119', 'TYPE 2 DIABETES MELLITUS WITHOUT COMPLICATIONS'],
  ['E785', 'HYPERLIPIDEMIA, UNSPECIFIED'],
  ['I2510', 'ATHSCL HEART DISEASE OF NATIVE CORONARY ARTERY W/O ANG PCTRS'],
  ['J449', 'CHRONIC OBSTRUCTIVE PULMONARY DISEASE, UNSPECIFIED'],
  ['N183', 'CHRONIC KIDNEY DISEASE, STAGE 3 (MODERATE)'],
  ['M170', 'BILATERAL PRIMARY OSTEOARTHRITIS OF KNEE'],
  ['M810', 'AGE-RELATED OSTEOPOROSIS W/O CURRENT PATHOLOGICAL FRACTURE'], // samples
  ['I4891', 'UNSPECIFIED ATRIAL FIBRILLATION'],
  ['E039', 'HYPOTHYROIDISM, UNSPECIFIED'],
  ['K219', 'GASTRO-ESOPHAGEAL REFLUX DISEASE WITHOUT ESOPHAGITIS'],
  ['F329', 'MAJOR DEPRESSIVE DISORDER, SINGLE EPISODE, UNSPECIFIED'],
  ['G309', "ALZHEIMER'S DISEASE, UNSPECIFIED"],
  ['I509', 'HEART FAILURE, UNSPECIFIED'],
  ['J189', 'PNEUMONIA, UNSPECIFIED ORGANISM'],
  ['N390', 'URINARY TRACT INFECTION, SITE NOT SPECIFIED'],
  ['R0602', 'SHORTNESS OF BREATH'],
  ['H2513', 'AGE-RELATED NUCLEAR CATARACT, BILATERAL'],
  ['I639', 'CEREBRAL INFARCTION, UNSPECIFIED'],
  ['M25561', 'PAIN IN RIGHT KNEE'],
  ['D649', 'ANEMIA, UNSPECIFIED'],
  ['R5383', 'OTHER FATIGUE'],
  ['Z23', 'ENCOUNTER FOR IMMUNIZATION'],
];

/** Diagnoses for service dates before ICD-10 (2015-10-01). Samples. */
export const ICD9_DIAGNOSES: readonly CodeWithDisplay[] = [
  ['4019', 'HYPERTENSION NOS'],
  ['25002', 'DMII WO CMP UNCNTRLD'],
  ['2724', 'HYPERLIPIDEMIA NEC/NOS'],
  ['41400', 'COR ATH UNSP VSL NTV/GFT'],
  ['2449', 'HYPOTHYROIDISM NOS'],
  ['53081', 'ESOPHAGEAL REFLUX'],
  ['3310', "ALZHEIMER'S DISEASE"],
  ['4439', 'PERIPH VASCULAR DIS NOS'],
  ['4619', 'ACUTE SINUSITIS NOS'],
  ['49392', 'ASTHMA NOS W (AC) EXAC'],
  ['4940', 'BRONCHIECTAS W/O AC EXAC'],
  ['72761', 'ROTATOR CUFF RUPTURE'],
  ['72703', 'TRIGGER FINGER'],
  ['78079', 'MALAISE AND FATIGUE NEC'],
  ['79902', 'HYPOXEMIA'],
  ['40290', 'HYP HRT DIS NOS W/O HF'],
];

/** ICD-10-PCS procedures. Samples. */
export const ICD10_PROCEDURES: readonly CodeWithDisplay[] = [
  ['2W52X6Z', 'REMOVAL OF PRESSURE DRESSING ON NECK'],
  ['BP17ZZZ', 'FLUOROSCOPY OF LEFT SCAPULA'],
  ['BQ0HZZZ', 'PLAIN RADIOGRAPHY OF LEFT ANKLE'],
  ['CD1YYZZ', 'PLANAR NUCL MED IMAG OF DIGESTIVE SYS USING OTH RADIONUCLIDE'],
  ['D9YD8ZZ', 'HYPERTHERMIA OF NASOPHARYNX'],
  ['F00ZCKZ', 'APHASIA ASSESSMENT USING AUDIOVISUAL EQUIPMENT'],
];

/** Professional services (office visits, labs, imaging, preventive care). BFD sends HCPCS without display. */
export const HCPCS_PROFESSIONAL: readonly string[] = [
  '99213', '99214', '99215', '99203', '99204', '99232', '99233', '36415', '80053', '80061',
  '85025', '83036', '84443', '93000', '71046', '77080', '92014', '97110', '20610', 'G0439',
  'G0008', '90686', '88305', '1036F', 'G8419',
];

/** Durable medical equipment and supplies. */
export const HCPCS_DME: readonly string[] = ['E0601', 'E0143', 'A4253', 'A4259', 'E1390', 'K0001', 'E0260', 'A7030', 'E0114'];

/** Hospital outpatient services. */
export const HCPCS_OUTPATIENT: readonly string[] = ['71046', '80053', '85025', '93005', '36415', '99284', '99283', '74177', '70450', '96372', 'G0378'];

export const HCPCS_MODIFIERS: readonly string[] = ['25', '59', 'LT', 'RT', 'GP', 'KX', '76', '26'];
export const DME_MODIFIERS: readonly string[] = ['NU', 'RR', 'KX'];

/** Revenue centre codes per institutional claim type (code only, as BFD sends codes it has no text for). */
export const REVENUE_CENTERS = {
  inpatient: ['0120', '0250', '0270', '0300', '0450', '0636', '0730'],
  outpatient: ['0300', '0320', '0450', '0510', '0636', '0730'],
  snf: ['0022', '0120', '0420', '0430', '0250'],
  hospice: ['0651', '0652', '0655', '0656'],
  hha: ['0023', '0551', '0421', '0431'],
} as const;

/** MS-DRGs for inpatient stays (the samples carry 191, 645 and 695). */
export const DRGS: readonly string[] = ['191', '645', '695', '470', '871', '291', '392', '690', '190', '194', '603', '683', '065'];

/** Drugs for Part D events: NDC and BFD's display. Samples. */
export const DRUGS: readonly CodeWithDisplay[] = [
  ['00169643810', 'Levemir - INSULIN DETEMIR'],
  ['00378395277', 'Atorvastatin Calcium - ATORVASTATIN CALCIUM TRIHYDRATE'],
  ['50111043301', 'Trazodone Hydrochloride - TRAZODONE HYDROCHLORIDE'],
  ['50111078766', 'Azithromycin - AZITHROMYCIN MONOHYDRATE'],
  ['55111012290', 'Atorvastatin Calcium - ATORVASTATIN CALCIUM TRIHYDRATE'],
  ['55111015810', 'Omeprazole - OMEPRAZOLE'],
  ['57237001930', 'Duloxetine - DULOXETINE HYDROCHLORIDE'],
  ['60505257908', 'ATORVASTATIN CALCIUM - ATORVASTATIN CALCIUM PROPYLENE GLYCOL SOLVATE'],
  ['67877022305', 'Gabapentin - GABAPENTIN'],
  ['68180047903', 'SIMVASTATIN - SIMVASTATIN'],
];

/** USPS state and the range of its 3-digit ZIP prefixes. */
export const STATES: readonly (readonly [state: string, firstZip3: number, lastZip3: number])[] = [
  ['MD', 206, 219], ['TX', 750, 799], ['FL', 320, 349], ['NY', 100, 149], ['CA', 900, 961],
  ['PA', 150, 196], ['OH', 430, 458], ['IL', 600, 629], ['MI', 480, 499], ['GA', 300, 319],
  ['NC', 270, 289], ['AZ', 850, 865], ['WA', 980, 994], ['MA', 10, 27], ['MO', 630, 658],
  ['UT', 840, 847], ['KY', 400, 427], ['IA', 500, 528],
];

/** BFD race codes (bene_race_cd). */
export const RACES: readonly (readonly [CodeWithDisplay, number])[] = [
  [['1', 'White'], 70],
  [['2', 'Black'], 12],
  [['5', 'Hispanic'], 8],
  [['4', 'Asian'], 5],
  [['3', 'Other'], 2],
  [['6', 'North American Native'], 1],
  [['0', 'Unknown'], 2],
];
