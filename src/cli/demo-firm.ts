/**
 * The demo firm: a fictional mid-sized law firm with offices in London, Manchester and New York,
 * written out as plain data so that every run loads exactly the same firm (the loader in
 * demo.ts turns it into service calls). Names are invented; email domains use the reserved
 * `.example` TLD and phone numbers the ranges Ofcom and NANPA keep for drama, so nothing here
 * reaches a real person. Competitors are real brands on purpose: they are what the product
 * must keep away from a client (the Coca-Cola client served Pepsi, the Ford client collected in a GM car).
 */
import { ClientCreateBody, ContactCreateBody, MatterCreateBody, TeamPutBody } from '../clients/schemas.js';
import type { ClientStatus, MatterStatus, Role } from '../db/schema.js';
import { TeamCreateBody, UserCreateBody } from '../firm/schemas.js';

export const DEMO_FIRM_NAME = 'Hartwell Pryce LLP';
export const DEMO_EMAIL_DOMAIN = 'hartwellpryce.example';

export interface DemoUser {
  /** The local part of the sign-in email, also how the rest of this file refers to the person. */
  key: string;
  name: string;
  title: string;
  office: string | null;
  role: Role;
}

export interface DemoPracticeGroup {
  name: string;
  description: string;
  members: string[];
}

export interface DemoContact {
  name: string;
  /** How they want to be addressed, when it differs from the formal name. */
  preferredName?: string;
  /** Their role for the firm (what the product filters on): General Counsel, CFO, Head of IT, … */
  role: string;
  jobTitle: string;
  decisionMaker?: boolean;
  /** The date they left the client. */
  leftOn?: string;
}

export interface DemoMatter {
  name: string;
  practiceArea: string;
  status: MatterStatus;
  openedOn: string;
  closedOn?: string;
  /** The client's own project or cost-centre code, which its invoices must be split by. */
  projectCode?: string;
}

export interface DemoClient {
  key: string;
  name: string;
  status: ClientStatus;
  industry: string;
  /** Fees billed in the last year, in pounds; null for prospects and lost pitches. */
  annualFees: number | null;
  keyClient?: boolean;
  /** The key of the parent company, listed earlier in DEMO_CLIENTS. */
  parent?: string;
  competitors?: string[];
  notes?: string;
  /** Behind an ethical wall, visible only to these users. */
  wallMembers?: string[];
  /** Where the client's people are reached: decides the email domain and phone numbering. */
  domain: string;
  country: 'UK' | 'US';
  team: { partner: string; members: string[] };
  contacts: DemoContact[];
  matters: DemoMatter[];
}

export const DEMO_USERS: DemoUser[] = [
  { key: 'priya.raman', name: 'Priya Raman', title: 'Director of Legal Technology', office: 'London', role: 'admin' },
  { key: 'olivia.grant', name: 'Olivia Grant', title: 'Head of Client Listening', office: 'London', role: 'programme_lead' },
  { key: 'jonathan.hale', name: 'Jonathan Hale', title: 'Managing Partner', office: 'London', role: 'management' },
  { key: 'catherine.ashworth', name: 'Catherine Ashworth', title: 'Partner, Head of Litigation', office: 'London', role: 'partner' },
  { key: 'daniel.okafor', name: 'Daniel Okafor', title: 'Partner, Commercial Litigation', office: 'New York', role: 'partner' },
  { key: 'richard.beaumont', name: 'Richard Beaumont', title: 'Partner, Head of Corporate/M&A', office: 'London', role: 'partner' },
  { key: 'elizabeth.chen', name: 'Elizabeth Chen', title: 'Partner, Private Equity and M&A', office: 'New York', role: 'partner' },
  { key: 'fiona.macleod', name: 'Fiona MacLeod', title: 'Partner, Head of Employment', office: 'Manchester', role: 'partner' },
  { key: 'thomas.whitaker', name: 'Thomas Whitaker', title: 'Senior Associate, Litigation', office: 'London', role: 'member' },
  { key: 'aisha.siddiqui', name: 'Aisha Siddiqui', title: 'Associate, Corporate/M&A', office: 'London', role: 'member' },
  { key: 'marcus.bell', name: 'Marcus Bell', title: 'Associate, Employment', office: 'Manchester', role: 'member' },
  { key: 'helen.marsh', name: 'Helen Marsh', title: 'Independent Client Interviewer, Marsh Client Insight', office: null, role: 'external' },
];

export const DEMO_PRACTICE_GROUPS: DemoPracticeGroup[] = [
  {
    name: 'Litigation',
    description: 'Commercial disputes, regulatory investigations and international arbitration',
    members: ['catherine.ashworth', 'daniel.okafor', 'thomas.whitaker'],
  },
  {
    name: 'Corporate/M&A',
    description: 'Public and private M&A, joint ventures, private equity and fund work',
    members: ['richard.beaumont', 'elizabeth.chen', 'aisha.siddiqui'],
  },
  {
    name: 'Employment',
    description: 'Employment disputes, restructuring, TUPE and executive moves',
    members: ['fiona.macleod', 'marcus.bell'],
  },
];

export const DEMO_CLIENTS: DemoClient[] = [
  {
    key: 'northbridge',
    name: 'Northbridge Banking Group plc',
    status: 'active',
    industry: 'Banking',
    annualFees: 4_850_000,
    keyClient: true,
    domain: 'northbridgebank.example',
    country: 'UK',
    team: { partner: 'richard.beaumont', members: ['catherine.ashworth', 'aisha.siddiqui', 'thomas.whitaker'] },
    contacts: [
      { name: 'Margaret Hollis', preferredName: 'Megge', role: 'General Counsel', jobTitle: 'Group General Counsel', decisionMaker: true },
      { name: 'Andrew Pike', role: 'CFO', jobTitle: 'Group Chief Financial Officer', decisionMaker: true },
      { name: 'Sunil Varma', role: 'Head of Legal Operations', jobTitle: 'Head of Legal Operations and Panel Management' },
    ],
    matters: [
      { name: 'Acquisition of Fenwick Consumer Finance', practiceArea: 'Corporate/M&A', status: 'open', openedOn: '2024-03-11', projectCode: 'NB-PRJ-4471' },
      {
        name: 'FCA investigation: mortgage arrears handling',
        practiceArea: 'Litigation',
        status: 'open',
        openedOn: '2023-09-04',
        projectCode: 'NB-LEG-0192',
      },
      { name: 'Senior executive exit, retail division', practiceArea: 'Employment', status: 'closed', openedOn: '2023-02-01', closedOn: '2023-06-30' },
    ],
  },
  {
    key: 'northbridge-am',
    name: 'Northbridge Asset Management Limited',
    status: 'active',
    industry: 'Asset management',
    annualFees: 1_150_000,
    parent: 'northbridge',
    domain: 'northbridgebank.example',
    country: 'UK',
    team: { partner: 'elizabeth.chen', members: ['aisha.siddiqui'] },
    contacts: [
      { name: 'William Ashby', preferredName: 'Bill', role: 'General Counsel', jobTitle: 'General Counsel', decisionMaker: true },
      { name: 'Claire Dunmore', role: 'Head of Compliance', jobTitle: 'Chief Compliance Officer' },
    ],
    matters: [{ name: 'Restructuring of the Global Equity Fund range', practiceArea: 'Corporate/M&A', status: 'open', openedOn: '2024-01-15' }],
  },
  {
    key: 'brightwater',
    name: 'Brightwater Beverages Inc.',
    status: 'active',
    industry: 'Food and beverage',
    annualFees: 2_600_000,
    keyClient: true,
    competitors: ['PepsiCo', 'Keurig Dr Pepper'],
    notes: 'Serve Brightwater drinks whenever their people visit: never a PepsiCo brand.',
    domain: 'brightwater.example',
    country: 'US',
    team: { partner: 'daniel.okafor', members: ['elizabeth.chen', 'thomas.whitaker'] },
    contacts: [
      { name: 'Robert Kincaid', preferredName: 'Bob', role: 'General Counsel', jobTitle: 'EVP and General Counsel', decisionMaker: true },
      { name: 'Patricia Lowe', role: 'CFO', jobTitle: 'Chief Financial Officer', decisionMaker: true },
      { name: 'Jennifer Alvarez', preferredName: 'Jen', role: 'Head of Legal Operations', jobTitle: 'Director, Legal Operations' },
    ],
    matters: [
      {
        name: 'Distributor termination arbitration (ICC)',
        practiceArea: 'Litigation',
        status: 'open',
        openedOn: '2023-11-20',
        projectCode: 'BWB-LGL-2291',
      },
      {
        name: 'Trade mark opposition: Brightwater Zero',
        practiceArea: 'Intellectual property',
        status: 'closed',
        openedOn: '2022-05-09',
        closedOn: '2023-01-31',
      },
    ],
  },
  {
    key: 'meridian',
    name: 'Meridian Motor Company',
    status: 'active',
    industry: 'Automotive',
    annualFees: 3_400_000,
    keyClient: true,
    competitors: ['General Motors', 'Stellantis', 'Toyota'],
    notes: 'Their people are collected in Meridian cars only: never a GM vehicle.',
    domain: 'meridianmotor.example',
    country: 'US',
    team: { partner: 'elizabeth.chen', members: ['daniel.okafor', 'fiona.macleod', 'aisha.siddiqui'] },
    contacts: [
      { name: 'Katherine Doyle', preferredName: 'Kit', role: 'General Counsel', jobTitle: 'Vice President and General Counsel', decisionMaker: true },
      { name: 'James Morrow', role: 'CFO', jobTitle: 'Chief Financial Officer', decisionMaker: true },
      { name: 'Raymond Ortiz', preferredName: 'Ray', role: 'Head of IT', jobTitle: 'Chief Information Officer' },
    ],
    matters: [
      {
        name: 'Battery plant joint venture with Voltaic Cells',
        practiceArea: 'Corporate/M&A',
        status: 'open',
        openedOn: '2024-02-05',
        projectCode: 'MMC-EV-0042',
      },
      { name: 'Dealer network class action', practiceArea: 'Litigation', status: 'open', openedOn: '2023-06-12' },
      { name: 'Plant closure consultation, Dagenham', practiceArea: 'Employment', status: 'open', openedOn: '2024-04-22', projectCode: 'MMC-HR-0117' },
    ],
  },
  {
    key: 'altura',
    name: 'Altura Software Corporation',
    status: 'active',
    industry: 'Technology',
    annualFees: 2_100_000,
    keyClient: true,
    competitors: ['Zoom', 'Google', 'Slack'],
    notes: 'Meetings on Altura Meet only: never send a Zoom link.',
    domain: 'altura.example',
    country: 'US',
    team: { partner: 'daniel.okafor', members: ['thomas.whitaker'] },
    contacts: [
      { name: 'Alexander Petrov', preferredName: 'Sasha', role: 'Deputy General Counsel', jobTitle: 'Deputy General Counsel, Litigation' },
      { name: 'Nadia Karim', role: 'Head of Legal Operations', jobTitle: 'Head of Legal Operations', decisionMaker: true },
    ],
    matters: [
      {
        name: 'Patent infringement defence, District of Delaware',
        practiceArea: 'Litigation',
        status: 'open',
        openedOn: '2024-05-06',
        projectCode: 'ALT-IP-7731',
      },
      { name: 'Open-source licence audit', practiceArea: 'Intellectual property', status: 'on_hold', openedOn: '2023-10-02' },
    ],
  },
  {
    key: 'caledonian',
    name: 'Caledonian Energy plc',
    status: 'active',
    industry: 'Energy',
    annualFees: 1_900_000,
    keyClient: true,
    domain: 'caledonianenergy.example',
    country: 'UK',
    team: { partner: 'catherine.ashworth', members: ['richard.beaumont', 'thomas.whitaker'] },
    contacts: [
      { name: 'Isobel Fraser', role: 'General Counsel', jobTitle: 'General Counsel and Company Secretary', decisionMaker: true },
      { name: 'Hamish Reid', role: 'CFO', jobTitle: 'Chief Financial Officer', decisionMaker: true },
      { name: 'Duncan Moore', role: 'Head of IT', jobTitle: 'Head of IT', leftOn: '2024-03-31' },
    ],
    matters: [
      { name: 'North Sea decommissioning cost dispute', practiceArea: 'Litigation', status: 'open', openedOn: '2022-10-03' },
      {
        name: 'Sale of Aberdeen gas terminal stake',
        practiceArea: 'Corporate/M&A',
        status: 'closed',
        openedOn: '2023-01-09',
        closedOn: '2023-08-14',
      },
    ],
  },
  {
    key: 'harrow-finch',
    name: 'Harrow & Finch Retail Group plc',
    status: 'active',
    industry: 'Retail',
    annualFees: 860_000,
    domain: 'harrowfinch.example',
    country: 'UK',
    team: { partner: 'fiona.macleod', members: ['marcus.bell'] },
    contacts: [
      { name: 'Theodore Banks', preferredName: 'Ted', role: 'Chief People Officer', jobTitle: 'Chief People Officer', decisionMaker: true },
      { name: 'Rachel Ng', role: 'Head of Legal', jobTitle: 'Head of Legal, Employment' },
    ],
    matters: [
      { name: 'Equal pay claims, store staff', practiceArea: 'Employment', status: 'open', openedOn: '2023-04-17', projectCode: 'HF-LEGAL-EP01' },
      { name: 'Warehouse restructuring', practiceArea: 'Employment', status: 'closed', openedOn: '2022-08-01', closedOn: '2023-01-20' },
    ],
  },
  {
    key: 'kestrel',
    name: 'Kestrel Pharmaceuticals plc',
    status: 'active',
    industry: 'Pharmaceuticals',
    annualFees: 1_200_000,
    notes: 'Ethical wall: Project Falcon, a confidential takeover approach. Only the deal team may see this client.',
    wallMembers: ['richard.beaumont', 'aisha.siddiqui'],
    domain: 'kestrelpharma.example',
    country: 'UK',
    team: { partner: 'richard.beaumont', members: ['aisha.siddiqui'] },
    contacts: [
      { name: 'Susannah Whitlock', preferredName: 'Sukie', role: 'General Counsel', jobTitle: 'General Counsel', decisionMaker: true },
      { name: 'Peter Hargreaves', role: 'CFO', jobTitle: 'Chief Financial Officer', decisionMaker: true },
    ],
    matters: [{ name: 'Project Falcon: recommended offer', practiceArea: 'Corporate/M&A', status: 'open', openedOn: '2024-06-03', projectCode: 'FALCON' }],
  },
  {
    key: 'vantage',
    name: 'Vantage Therapeutics Inc.',
    status: 'active',
    industry: 'Pharmaceuticals',
    annualFees: 640_000,
    domain: 'vantagetx.example',
    country: 'US',
    team: { partner: 'elizabeth.chen', members: ['aisha.siddiqui'] },
    contacts: [
      { name: 'Anjali Mehta', role: 'General Counsel', jobTitle: 'General Counsel', decisionMaker: true },
      { name: 'Gregory Holloway', preferredName: 'Greg', role: 'Head of Legal Operations', jobTitle: 'Senior Manager, Legal Operations' },
    ],
    matters: [
      { name: 'Series C financing', practiceArea: 'Corporate/M&A', status: 'closed', openedOn: '2023-03-01', closedOn: '2023-05-19' },
      { name: 'Licensing agreement with an Oxford spin-out', practiceArea: 'Corporate/M&A', status: 'open', openedOn: '2024-02-19' },
    ],
  },
  {
    key: 'greyfield',
    name: 'Greyfield Manufacturing Ltd',
    status: 'active',
    industry: 'Manufacturing',
    annualFees: 520_000,
    domain: 'greyfield.example',
    country: 'UK',
    team: { partner: 'catherine.ashworth', members: ['thomas.whitaker'] },
    contacts: [
      { name: 'Geoffrey Nuttall', preferredName: 'Geoff', role: 'Managing Director', jobTitle: 'Managing Director', decisionMaker: true },
      { name: 'Lorraine Pike', role: 'CFO', jobTitle: 'Finance Director' },
    ],
    matters: [
      { name: 'Product liability claim: hydraulic press', practiceArea: 'Litigation', status: 'open', openedOn: '2023-08-07', projectCode: 'GM-CC-3310' },
    ],
  },
  {
    key: 'eastmere',
    name: 'Eastmere Borough Council',
    status: 'active',
    industry: 'Public sector',
    annualFees: 310_000,
    domain: 'eastmere.example',
    country: 'UK',
    team: { partner: 'fiona.macleod', members: ['marcus.bell'] },
    contacts: [
      { name: 'Deborah Quinn', preferredName: 'Debs', role: 'Head of Legal', jobTitle: 'Head of Legal Services and Monitoring Officer', decisionMaker: true },
      { name: 'Martin Ellis', role: 'Head of Procurement', jobTitle: 'Procurement Lead' },
    ],
    matters: [{ name: 'TUPE transfer of waste services', practiceArea: 'Employment', status: 'open', openedOn: '2024-01-08', projectCode: 'EBC-PO-88213' }],
  },
  {
    key: 'northern-health',
    name: 'Northern Health Procurement Partnership',
    status: 'active',
    industry: 'Public sector',
    annualFees: 280_000,
    domain: 'northernhealth.example',
    country: 'UK',
    team: { partner: 'fiona.macleod', members: ['thomas.whitaker'] },
    contacts: [{ name: 'Samuel Adeyemi', preferredName: 'Sam', role: 'Head of Legal', jobTitle: 'Head of Legal and Governance', decisionMaker: true }],
    matters: [{ name: 'Framework agreement challenge', practiceArea: 'Litigation', status: 'open', openedOn: '2024-03-25' }],
  },
  {
    key: 'sterling',
    name: 'Sterling Mutual Insurance',
    status: 'active',
    industry: 'Insurance',
    annualFees: 1_450_000,
    keyClient: true,
    domain: 'sterlingmutual.example',
    country: 'UK',
    team: { partner: 'catherine.ashworth', members: ['daniel.okafor', 'thomas.whitaker'] },
    contacts: [
      { name: "Margaret O'Connell", preferredName: 'Peggy', role: 'General Counsel', jobTitle: 'General Counsel', decisionMaker: true },
      { name: 'Nicholas Trent', preferredName: 'Nick', role: 'Head of Claims', jobTitle: 'Director of Claims' },
    ],
    matters: [
      { name: 'Coverage dispute: cyber policy', practiceArea: 'Litigation', status: 'open', openedOn: '2023-10-16', projectCode: 'SMI-CLM-5521' },
      {
        name: 'Reinsurance arbitration',
        practiceArea: 'Litigation',
        status: 'closed',
        openedOn: '2021-11-01',
        closedOn: '2023-03-31',
        projectCode: 'SMI-CLM-4410',
      },
      // The matter of the sample invoice src/preferences/guardrails/fixtures/trips-every-rule.ledes.txt (docs/guardrails.md).
      {
        name: 'Kestrel Re portfolio acquisition',
        practiceArea: 'Corporate/M&A',
        status: 'closed',
        openedOn: '2026-09-01',
        closedOn: '2026-11-15',
        projectCode: 'KP-01',
      },
    ],
  },
  {
    key: 'atlas',
    name: 'Atlas Freight & Logistics Ltd',
    status: 'active',
    industry: 'Logistics',
    annualFees: 450_000,
    domain: 'atlasfreight.example',
    country: 'UK',
    team: { partner: 'richard.beaumont', members: ['marcus.bell'] },
    contacts: [{ name: 'Victoria Lam', preferredName: 'Vicky', role: 'CFO', jobTitle: 'Chief Financial Officer', decisionMaker: true }],
    matters: [
      { name: 'Acquisition of Eurolink Couriers', practiceArea: 'Corporate/M&A', status: 'closed', openedOn: '2022-09-12', closedOn: '2023-02-28' },
      { name: 'Driver employment status claims', practiceArea: 'Employment', status: 'open', openedOn: '2024-02-12' },
    ],
  },
  {
    key: 'orion',
    name: 'Orion Telecom plc',
    status: 'active',
    industry: 'Telecommunications',
    annualFees: 980_000,
    domain: 'oriontelecom.example',
    country: 'UK',
    team: { partner: 'richard.beaumont', members: ['catherine.ashworth', 'aisha.siddiqui'] },
    contacts: [
      { name: 'Charles Whitmore', preferredName: 'Charlie', role: 'General Counsel', jobTitle: 'General Counsel', decisionMaker: true },
      { name: 'Priyanka Shah', role: 'Head of IT', jobTitle: 'Chief Technology Officer' },
    ],
    matters: [
      { name: 'Spectrum auction judicial review', practiceArea: 'Litigation', status: 'open', openedOn: '2024-04-02' },
      { name: 'Disposal of the tower portfolio', practiceArea: 'Corporate/M&A', status: 'open', openedOn: '2024-05-20', projectCode: 'ORN-TWR-2024' },
    ],
  },
  {
    key: 'pennine',
    name: 'Pennine Water Services Ltd',
    status: 'active',
    industry: 'Utilities',
    annualFees: 390_000,
    domain: 'penninewater.example',
    country: 'UK',
    team: { partner: 'catherine.ashworth', members: ['thomas.whitaker'] },
    contacts: [{ name: 'Gillian Firth', role: 'Company Secretary', jobTitle: 'Company Secretary and Head of Legal', decisionMaker: true }],
    matters: [{ name: 'Ofwat enforcement response', practiceArea: 'Regulatory', status: 'open', openedOn: '2024-01-29' }],
  },
  {
    key: 'larkspur',
    name: 'Larkspur Media Group',
    status: 'active',
    industry: 'Media',
    annualFees: 430_000,
    domain: 'larkspurmedia.example',
    country: 'UK',
    team: { partner: 'fiona.macleod', members: ['marcus.bell'] },
    contacts: [{ name: 'Edward Lyle', preferredName: 'Ned', role: 'General Counsel', jobTitle: 'General Counsel', decisionMaker: true }],
    matters: [{ name: 'Presenter contract dispute', practiceArea: 'Employment', status: 'closed', openedOn: '2023-05-02', closedOn: '2023-11-17' }],
  },
  {
    key: 'ashgrove',
    name: 'Ashgrove Property Investments plc',
    status: 'active',
    industry: 'Real estate',
    annualFees: 610_000,
    domain: 'ashgrove.example',
    country: 'UK',
    team: { partner: 'richard.beaumont', members: ['aisha.siddiqui'] },
    contacts: [{ name: 'Harriet Osei', role: 'Head of Legal', jobTitle: 'Head of Legal', decisionMaker: true }],
    matters: [
      {
        name: 'Joint venture for a Canary Wharf office scheme',
        practiceArea: 'Corporate/M&A',
        status: 'open',
        openedOn: '2023-12-04',
        projectCode: 'APX-JV-019',
      },
    ],
  },
  {
    key: 'fulcrum',
    name: 'Fulcrum Robotics Inc.',
    status: 'active',
    industry: 'Technology',
    annualFees: 350_000,
    domain: 'fulcrumrobotics.example',
    country: 'US',
    team: { partner: 'daniel.okafor', members: ['thomas.whitaker'] },
    contacts: [
      { name: 'Benjamin Cole', preferredName: 'Ben', role: 'General Counsel', jobTitle: 'General Counsel', decisionMaker: true },
      { name: 'Lucia Romero', role: 'Head of IT', jobTitle: 'VP, Information Technology' },
    ],
    matters: [{ name: 'Trade secrets claim against former engineers', practiceArea: 'Litigation', status: 'open', openedOn: '2024-03-04' }],
  },
  {
    key: 'st-aldwyns',
    name: "St Aldwyn's University",
    status: 'active',
    industry: 'Higher education',
    annualFees: 220_000,
    domain: 'staldwyns.example',
    country: 'UK',
    team: { partner: 'fiona.macleod', members: ['marcus.bell'] },
    contacts: [{ name: 'Rowan Blake', role: 'Registrar', jobTitle: 'Registrar and University Secretary', decisionMaker: true }],
    matters: [{ name: 'Academic staff pay dispute', practiceArea: 'Employment', status: 'open', openedOn: '2024-02-26' }],
  },
  {
    key: 'evergreen',
    name: 'Evergreen Grocers plc',
    status: 'active',
    industry: 'Retail',
    annualFees: 1_300_000,
    keyClient: true,
    competitors: ['Tesco', "Sainsbury's"],
    domain: 'evergreengrocers.example',
    country: 'UK',
    team: { partner: 'catherine.ashworth', members: ['fiona.macleod', 'thomas.whitaker'] },
    contacts: [
      { name: 'Frances Doyle', preferredName: 'Fran', role: 'General Counsel', jobTitle: 'General Counsel', decisionMaker: true },
      { name: 'Oliver Stokes', role: 'Head of Legal Operations', jobTitle: 'Head of Legal Operations' },
    ],
    matters: [
      { name: 'Supplier price-fixing damages claim', practiceArea: 'Litigation', status: 'open', openedOn: '2023-07-10', projectCode: 'EVG-LIT-204' },
      { name: "Store managers' overtime claims", practiceArea: 'Employment', status: 'open', openedOn: '2024-05-13', projectCode: 'EVG-HR-311' },
    ],
  },
  {
    key: 'solent',
    name: 'Solent Offshore Wind Ltd',
    status: 'prospect',
    industry: 'Energy',
    annualFees: null,
    notes: 'Met at the RenewableUK conference; interested in our offshore construction disputes team.',
    domain: 'solentwind.example',
    country: 'UK',
    team: { partner: 'richard.beaumont', members: ['catherine.ashworth'] },
    contacts: [{ name: 'Imogen Hart', role: 'General Counsel', jobTitle: 'General Counsel', decisionMaker: true }],
    matters: [],
  },
  {
    key: 'copperleaf',
    name: 'Copperleaf Payments Ltd',
    status: 'prospect',
    industry: 'Financial services',
    annualFees: null,
    domain: 'copperleaf.example',
    country: 'UK',
    team: { partner: 'elizabeth.chen', members: [] },
    contacts: [{ name: 'Rajesh Iyer', preferredName: 'Raj', role: 'CFO', jobTitle: 'Chief Financial Officer', decisionMaker: true }],
    matters: [],
  },
  {
    key: 'marlowe',
    name: 'Marlowe Fashion Holdings',
    status: 'prospect',
    industry: 'Retail',
    annualFees: null,
    domain: 'marlowefashion.example',
    country: 'UK',
    team: { partner: 'fiona.macleod', members: [] },
    contacts: [{ name: 'Sophie Laurent', role: 'Head of Legal', jobTitle: 'Head of Legal and Company Secretary', decisionMaker: true }],
    matters: [],
  },
  {
    key: 'thistle',
    name: 'Thistle Bank plc',
    status: 'lapsed',
    industry: 'Banking',
    annualFees: 120_000,
    notes: 'No new instructions since our sponsor, their GC, retired at the end of 2023.',
    domain: 'thistlebank.example',
    country: 'UK',
    team: { partner: 'catherine.ashworth', members: [] },
    contacts: [
      { name: 'Alistair Gow', role: 'General Counsel', jobTitle: 'General Counsel', decisionMaker: true, leftOn: '2023-12-31' },
      { name: 'Morag Kerr', role: 'Deputy General Counsel', jobTitle: 'Deputy General Counsel', decisionMaker: true },
    ],
    matters: [{ name: 'Mis-selling complaints review', practiceArea: 'Regulatory', status: 'closed', openedOn: '2021-06-01', closedOn: '2022-09-30' }],
  },
  {
    key: 'redmarsh',
    name: 'Redmarsh Chemicals Ltd',
    status: 'lapsed',
    industry: 'Manufacturing',
    annualFees: 95_000,
    domain: 'redmarsh.example',
    country: 'UK',
    team: { partner: 'fiona.macleod', members: [] },
    contacts: [{ name: 'Stuart Bramley', role: 'HR Director', jobTitle: 'Group HR Director', decisionMaker: true }],
    matters: [{ name: 'Site redundancy programme', practiceArea: 'Employment', status: 'closed', openedOn: '2022-01-10', closedOn: '2022-07-29' }],
  },
  {
    key: 'halcyon',
    name: 'Halcyon Hotels Group',
    status: 'lost',
    industry: 'Hospitality',
    annualFees: 180_000,
    notes: 'Moved its corporate work to another firm in 2024 after a dispute over a bill sent two months after closing.',
    domain: 'halcyonhotels.example',
    country: 'UK',
    team: { partner: 'richard.beaumont', members: [] },
    contacts: [{ name: 'Penelope Shaw', preferredName: 'Penny', role: 'General Counsel', jobTitle: 'General Counsel', decisionMaker: true }],
    matters: [
      {
        name: 'Refinancing of the hotel portfolio',
        practiceArea: 'Banking and finance',
        status: 'closed',
        openedOn: '2022-04-04',
        closedOn: '2023-03-17',
        projectCode: 'HHG-FIN-07',
      },
    ],
  },
  {
    key: 'everline',
    name: 'Everline Airways Ltd',
    status: 'lost',
    industry: 'Transport',
    annualFees: 260_000,
    domain: 'everline.example',
    country: 'UK',
    team: { partner: 'catherine.ashworth', members: [] },
    contacts: [{ name: 'Christopher Dunn', preferredName: 'Chris', role: 'General Counsel', jobTitle: 'General Counsel', decisionMaker: true }],
    matters: [{ name: 'Passenger compensation group claim', practiceArea: 'Litigation', status: 'closed', openedOn: '2021-09-13', closedOn: '2023-10-06' }],
  },
  {
    key: 'quantum-ridge',
    name: 'Quantum Ridge Capital LLP',
    status: 'pitch_lost',
    industry: 'Asset management',
    annualFees: null,
    notes: 'Pitch for fund formation work lost on price, March 2024.',
    domain: 'quantumridge.example',
    country: 'US',
    team: { partner: 'elizabeth.chen', members: [] },
    contacts: [{ name: 'Steven Albright', preferredName: 'Steve', role: 'General Counsel', jobTitle: 'General Counsel', decisionMaker: true }],
    matters: [],
  },
  {
    key: 'wessex-transport',
    name: 'Greater Wessex Transport Authority',
    status: 'pitch_lost',
    industry: 'Public sector',
    annualFees: null,
    notes: 'Legal services panel tender lost in 2024; their feedback: weak on social value.',
    domain: 'wessextransport.example',
    country: 'UK',
    team: { partner: 'fiona.macleod', members: [] },
    contacts: [{ name: 'Anne-Marie Cooper', role: 'Head of Procurement', jobTitle: 'Head of Commercial and Procurement', decisionMaker: true }],
    matters: [],
  },
];

/** The sign-in email of a demo user. */
export function demoUserEmail(user: Pick<DemoUser, 'key'>): string {
  return `${user.key}@${DEMO_EMAIL_DOMAIN}`;
}

/** firstname.lastname@client-domain, with accents and punctuation dropped (Margaret O'Connell → margaret.oconnell). */
export function contactEmail(contact: Pick<DemoContact, 'name'>, client: Pick<DemoClient, 'domain'>): string {
  const parts = contact.name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/\s+/)
    .map((p) => p.replace(/[^a-z-]/g, ''))
    .filter(Boolean);
  return `${parts.join('.')}@${client.domain}`;
}

/**
 * A phone number from the ranges kept for fiction: 020 7946 0xxx in London (Ofcom) and
 * 212-555-01xx in New York (NANPA). `n` is the contact's position in the whole demo firm.
 */
export function contactPhone(client: Pick<DemoClient, 'country'>, n: number): string {
  return client.country === 'UK' ? `+44 20 7946 0${String(n % 1000).padStart(3, '0')}` : `+1 212 555 01${String(n % 100).padStart(2, '0')}`;
}

/** The firm's matter number: client number (10001 for the first client) and a per-client sequence, e.g. 10004.0002. */
export function matterReference(clientIndex: number, matterIndex: number): string {
  return `${10001 + clientIndex}.${String(matterIndex + 1).padStart(4, '0')}`;
}

/** Service input for a demo user, checked by the same schema as the API's. */
export function demoUserBody(user: DemoUser, password: string): UserCreateBody {
  return UserCreateBody.parse({ email: demoUserEmail(user), name: user.name, title: user.title, office: user.office, role: user.role, password });
}

/** Service input for a practice group; `userIds` maps user keys to the ids the users were given. */
export function demoTeamBody(group: DemoPracticeGroup, userIds: ReadonlyMap<string, string>): TeamCreateBody {
  return TeamCreateBody.parse({
    name: group.name,
    kind: 'practice_group',
    description: group.description,
    memberIds: group.members.map((k) => idOf(userIds, k)),
  });
}

/** Service input for a client; the parent must have been created first (its id is in `clientIds`). */
export function demoClientBody(client: DemoClient, userIds: ReadonlyMap<string, string>, clientIds: ReadonlyMap<string, string>): ClientCreateBody {
  return ClientCreateBody.parse({
    name: client.name,
    status: client.status,
    industry: client.industry,
    annualFees: client.annualFees,
    isKeyClient: client.keyClient ?? false,
    parentId: client.parent ? idOf(clientIds, client.parent) : null,
    competitors: client.competitors ?? [],
    notes: client.notes ?? null,
    walled: client.wallMembers !== undefined,
    ...(client.wallMembers ? { wallMemberIds: client.wallMembers.map((k) => idOf(userIds, k)) } : {}),
  });
}

/** Service input for a contact; `n` numbers the contacts across the firm, for their phone numbers. */
export function demoContactBody(contact: DemoContact, client: DemoClient, n: number): ContactCreateBody {
  return ContactCreateBody.parse({
    name: contact.name,
    preferredName: contact.preferredName ?? null,
    role: contact.role,
    jobTitle: contact.jobTitle,
    email: contactEmail(contact, client),
    phone: contactPhone(client, n),
    isDecisionMaker: contact.decisionMaker ?? false,
    leftOn: contact.leftOn ?? null,
  });
}

/** Service input for a matter; the indexes make its reference. */
export function demoMatterBody(matter: DemoMatter, clientIndex: number, matterIndex: number): MatterCreateBody {
  return MatterCreateBody.parse({
    name: matter.name,
    reference: matterReference(clientIndex, matterIndex),
    practiceArea: matter.practiceArea,
    status: matter.status,
    openedOn: matter.openedOn,
    closedOn: matter.closedOn ?? null,
    clientProjectCode: matter.projectCode ?? null,
  });
}

/** The relationship team: the partner first, then the members. */
export function demoTeamPutBody(client: DemoClient, userIds: ReadonlyMap<string, string>): TeamPutBody {
  return TeamPutBody.parse({
    members: [
      { userId: idOf(userIds, client.team.partner), teamRole: 'relationship_partner' },
      ...client.team.members.map((k) => ({ userId: idOf(userIds, k), teamRole: 'member' })),
    ],
  });
}

function idOf(ids: ReadonlyMap<string, string>, key: string): string {
  const id = ids.get(key);
  if (id === undefined) {
    // The demo data refers to someone it does not define: a mistake in this file, caught by its tests.
    throw new Error(`The demo firm refers to an unknown key "${key}"`);
  }
  return id;
}
