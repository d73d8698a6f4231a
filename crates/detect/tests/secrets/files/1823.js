;NREUM.loader_config={accountID:"9255162",licenseKey:"NRJS-b6de8e98b0ccc6640d4",applicationID:"418162634"};
